package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** Whatever a command writes to stderr reaches it without URL secrets and without escape sequences. */
class SafeStderrTest {

    private final StringWriter target = new StringWriter();
    private final PrintWriter err = new PrintWriter(new SafeStderr(target), true);

    @Test
    void redactsEveryLineAndStripsTerminalControls() {
        err.println("warning: GET https://u:pw@gcs/o?token=t1 failed");
        err.println("job \u001b]0;owned\u0007name\u001b[2J");

        assertThat(target.toString()).isEqualTo("warning: GET https://***@gcs/o?token=*** failed"
                + System.lineSeparator() + "job name" + System.lineSeparator());
    }

    @Test
    void keepsTheCarriageReturnsOfTheProgressLineAndPassesPartsOnFlush() {
        err.print("\rreading: 1/2");
        err.flush();
        assertThat(target.toString()).isEqualTo("\rreading: 1/2");
        err.print("\r" + " ".repeat(12) + "\r");
        err.flush();
        assertThat(target.toString()).isEqualTo("\rreading: 1/2\r" + " ".repeat(12) + "\r");
    }

    @Test
    void aUrlSplitAcrossWritesIsRedactedWhole() {
        err.print("posting to https://hooks/services/T/B/");
        err.print("s3cret");
        err.println();

        assertThat(target.toString()).doesNotContain("s3cret").contains("https://hooks/services/***");
    }
}
