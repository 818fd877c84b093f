package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8StdoutWriterTest {

    @Test
    void writesWhatTheJdkEncoderWrites() throws IOException {
        String text = "build,job_name=a\\ b log=\"https://x/é/日本/😀\" 1\n".repeat(500);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintWriter out = new PrintWriter(new Utf8StdoutWriter(bytes, 64))) {
            for (int i = 0; i < text.length(); i += 37) { // pieces that split pairs and lines anywhere
                out.write(text, i, Math.min(37, text.length() - i));
            }
            out.append("end").print('\n');
        }
        assertThat(bytes.toByteArray()).isEqualTo((text + "end\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSurrogatePairSplitAcrossWritesIsOneCharacter() throws IOException {
        String emoji = "😀";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Utf8StdoutWriter out = new Utf8StdoutWriter(bytes, 16);
        out.write(emoji.charAt(0));
        out.flush();
        assertThat(bytes.size()).as("half a pair is held back").isZero();
        out.write(emoji.charAt(1));
        out.close();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(emoji);
    }

    @Test
    void aLoneSurrogateBecomesAQuestionMarkLikeTheJdkEncoder() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Utf8StdoutWriter out = new Utf8StdoutWriter(bytes, 16)) {
            out.write("a\uD83Db\uD83D");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("a?b?");
    }

    @Test
    void writesLargerThanTheBufferKeepTheirOrder() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Utf8StdoutWriter out = new Utf8StdoutWriter(bytes, 8)) {
            out.write("head-");
            out.write("x".repeat(100));
            out.write("-tail");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("head-" + "x".repeat(100) + "-tail");
    }

    @Test
    void aWriteErrorIsKeptAndTurnsASuccessIntoExitEight() {
        Utf8StdoutWriter full = writerWhoseWritesFail("No space left on device");
        PrintWriter out = printSomeDataTo(full);
        assertThat(out.checkError()).isTrue();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(Prowctl.exitCode(ExitCodes.OK.code(), full, new PrintWriter(err)))
                .isEqualTo(ExitCodes.ENVIRONMENT.code());
        assertThat(err.toString()).isEqualTo("prowctl: could not write to standard output: No space left on device"
                + System.lineSeparator());
    }

    @Test
    void aReaderThatWentAwayIsNotAnError() {
        Utf8StdoutWriter closed = writerWhoseWritesFail("Broken pipe");
        printSomeDataTo(closed);
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(Prowctl.exitCode(ExitCodes.OK.code(), closed, new PrintWriter(err))).isEqualTo(ExitCodes.OK.code());
        assertThat(err.toString()).isEmpty();
        assertThat(Prowctl.exitCode(ExitCodes.BAD_INPUT.code(), closed, new PrintWriter(err)))
                .isEqualTo(ExitCodes.BAD_INPUT.code());
    }

    @Test
    void writesNothingToAStdoutWithoutErrors() {
        Utf8StdoutWriter fine = new Utf8StdoutWriter(new ByteArrayOutputStream(), 8);
        assertThat(Prowctl.exitCode(ExitCodes.PARTIAL.code(), fine, new PrintWriter(new java.io.StringWriter())))
                .isEqualTo(ExitCodes.PARTIAL.code());
    }

    /** A stdout writer over a stream whose every write fails with {@code message}; its buffer holds 8 bytes. */
    private static Utf8StdoutWriter writerWhoseWritesFail(String message) {
        return new Utf8StdoutWriter(new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(message);
            }
        }, 8);
    }

    /** Prints more than the 8-byte buffer holds, so the write reaches the stream, and flushes. */
    private static PrintWriter printSomeDataTo(Utf8StdoutWriter writer) {
        PrintWriter out = new PrintWriter(writer);
        out.print("more than eight bytes of data");
        out.flush();
        return out;
    }
}
