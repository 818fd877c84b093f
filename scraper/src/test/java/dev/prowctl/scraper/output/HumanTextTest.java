package dev.prowctl.scraper.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.ProwRuns;

/** Text from the payload cannot take over the terminal that reads the human output. */
class HumanTextTest {

    @Test
    void escapeSequencesAndControlCharactersOfThePayloadAreRemoved() throws IOException {
        ProwRun run = ProwRuns.presubmit("1", "job\u001b]0;pwned\u0007-e2e\u001b[2J\u001bc")
                .refs("org\u009b31m", "repo\u0000", "main\r\nforged:line")
                .target("e2e\u0008\u007f")
                .build();
        StringBuilder out = new StringBuilder();
        new HumanText().write(run, out);

        assertThat(out.toString()).contains("\nname:job-e2e\n", "\nrepo:org/repo @ main forged:line\n",
                "\ntarget:e2e\n");
        assertThat(out.chars()).noneMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b || c == 0 || c == 8 || c == 0x7f
                || c == '\r');
    }
}
