package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.testing.TestEnv;

/**
 * Whether the progress line shows is decided by stderr alone. util-linux {@code script} runs prowctl in a
 * pseudo-terminal (stdin, stdout and stderr); a shell redirect then takes one of the streams away from it.
 */
class ProgressOnTerminalTest {

    private static final String PROGRESS = "reading prowjobs";

    @TempDir
    Path dir;

    @Test
    void showsWhenStderrIsATerminalAndStdoutIsAFile() throws Exception {
        String terminal = inTerminal("> runs.lp");

        assertThat(terminal).contains(PROGRESS);
        assertThat(Files.readString(dir.resolve("runs.lp"))).startsWith("build,").doesNotContain(PROGRESS);
    }

    @Test
    void neverShowsWhenStderrIsNotATerminal() throws Exception {
        String terminal = inTerminal("2> err.txt");

        assertThat(terminal).as("stdout, still the terminal, has the data").contains("build,")
                .doesNotContain(PROGRESS);
        assertThat(Files.readString(dir.resolve("err.txt"))).doesNotContain(PROGRESS);
    }

    @Test
    void theFallbackRecognisesTerminalDevices() throws IOException {
        Path link = dir.resolve("fd2");
        Files.createSymbolicLink(link, Path.of("/dev/pts/3"));
        assertThat(Progress.procLinkIsTerminal(link)).isTrue();
        Path pipe = dir.resolve("pipe");
        Files.createSymbolicLink(pipe, Path.of("pipe:[123]"));
        assertThat(Progress.procLinkIsTerminal(pipe)).isFalse();
        assertThat(Progress.procLinkIsTerminal(dir.resolve("missing"))).isFalse();
    }

    /** What the terminal showed while {@code prowctl scrape} of the sample payload ran with {@code redirect}. */
    private String inTerminal(String redirect) throws Exception {
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            TestEnv.missing("util-linux script is not installed (Debian package bsdutils)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = quote(java) + " -cp " + quote(System.getProperty("java.class.path"))
                + " dev.prowctl.cli.Prowctl scrape --no-flakes --prowjobs-file "
                + quote(TestEnv.repoDir().resolve("examples/prowjobs.sample.json").toString()) + " " + redirect;
        Process process = new ProcessBuilder(List.of(script.toString(), "-qec", command, "/dev/null"))
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        byte[] shown = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String terminal = new String(shown, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(terminal).isZero();
        return terminal;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
