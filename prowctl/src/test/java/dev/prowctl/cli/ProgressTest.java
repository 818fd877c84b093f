package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void printsNothingWhenStderrIsNotATerminal() {
        StringWriter err = new StringWriter();
        Progress progress = Progress.of(new PrintWriter(err), false);
        progress.update("reading", 5, 10);
        progress.finish();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void redrawsOneLineAndClearsItWhenFinished() {
        StringWriter err = new StringWriter();
        Progress progress = Progress.of(new PrintWriter(err), true);
        progress.update("reading prowjobs (MB)", 3, 178);
        progress.update("reading prowjobs (MB)", 178, 178);
        progress.update("runs", 42, -1);
        assertThat(err.toString()).isEqualTo("\rreading prowjobs (MB): 3/178 (1%)"
                + "\rreading prowjobs (MB): 178/178 (100%)");
        progress.finish();
        assertThat(err.toString()).endsWith("\r" + " ".repeat("reading prowjobs (MB): 178/178 (100%)".length()) + "\r")
                .doesNotContain("\n");
    }
}
