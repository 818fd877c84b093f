package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A payload too big for the heap ends with one line that says which limit to raise, and exit 70; never a stack
 * trace with exit 1 ("done in part"). prowctl runs in its own JVM with a 24 MB heap on a payload with a 48 MB string.
 */
class OutOfMemoryTest {

    @TempDir
    Path dir;

    @Test
    void aPayloadTooBigForTheHeapIsOneLineAndExit70() throws Exception {
        Path payload = dir.resolve("big.json");
        writeHugePayload(payload);
        Path stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx24m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Prowctl.class.getName(),
                "scrape", "--no-flakes", "--prowjobs-file", payload.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr);

        assertThat(process.exitValue()).as(err).isEqualTo(ExitCodes.INTERNAL.code());
        assertThat(err.lines()).as(err).singleElement().asString()
                .startsWith("prowctl scrape: out of memory reading the input (Java heap limit ")
                .contains("JAVA_OPTS=-Xmx");
    }

    /** One ProwJob whose description is 48 MB, written without holding it in memory. */
    private static void writeHugePayload(Path file) throws IOException {
        char[] chunk = new char[1 << 20];
        java.util.Arrays.fill(chunk, 'x');
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"items\":[{\"metadata\":{\"name\":\"big\"},\"spec\":{\"type\":\"periodic\",\"job\":\"j\"},"
                    + "\"status\":{\"state\":\"success\",\"startTime\":\"2022-04-29T04:00:59Z\","
                    + "\"completionTime\":\"2022-04-29T05:00:59Z\",\"description\":\"");
            for (int i = 0; i < 48; i++) {
                out.write(chunk);
            }
            out.write("\"}}]}");
        }
    }
}
