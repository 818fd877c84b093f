package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What scrape quotes from a payload reaches the terminal without its escape sequences and control characters. */
class HostilePayloadTest {

    @Test
    void theErrorQuotingAPayloadCarriesNoEscapeSequences(@TempDir Path dir) throws IOException {
        Path payload = Files.writeString(dir.resolve("pj.json"),
                "\u001b]0;pwned\u0007<html>\u001b[2J\u001bc hello\u009b31m</html>");

        CliRun run = CliRun.of("scrape", "--no-flakes", "--prowjobs-file", payload.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).startsWith("prowctl scrape: ").contains("<html>").doesNotContain("pwned");
        assertThat(run.err().chars()).noneMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b);
    }
}
