package dev.prowctl.scraper.prow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ProwJobReader#readFile} reads a large file in two halves at once (told here that a second core is there,
 * so the tests are the same on a one-CPU machine) when the place it guesses is an item boundary, and must give exactly what one sequential read gives in every case: a right guess, a guess inside a
 * string or a nested list, and a second half that is broken.
 */
class ProwJobReaderHalvesTest {

    private static final int ITEMS = 2_000;
    /** Makes each item ~9 KB, so 2,000 items pass the 16 MB size from which a file is read in halves. */
    private static final String FILLER = "y".repeat(9_000);

    @TempDir
    Path dir;

    @Test
    void readsTheSecondHalfOnAnotherThreadAndKeepsPayloadOrder() throws IOException {
        Path file = write(i -> item(i, "\"" + FILLER + "\""));
        Recording halves = readFile(file);
        assertThat(halves.threads).as("the second half was read on its own thread").contains("prowjobs-second-half");
        assertThat(halves.jobs).isEqualTo(readSequentially(file).jobs).hasSize(ITEMS);
    }

    /**
     * Every item's pod spec holds what looks like item boundaries, so the first guess past the middle lies inside
     * a string, or inside a list of objects: the guess is dropped and the first pass reads everything.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"inside a string", "inside a nested list"})
    void aWrongGuessIsDroppedAndTheFirstPassReadsOn(String where) throws IOException {
        String filler = where.equals("inside a string")
                ? "\"" + "},{\\\"kind\\\":\\\"ProwJob\\\"} , {".repeat(330) + "\""
                : "[" + "{\"name\":\"v\"},".repeat(700) + "{\"end\":\"v\"}]";
        Path file = write(i -> item(i, filler));
        Recording halves = readFile(file);
        assertThat(halves.threads).doesNotContain("prowjobs-second-half");
        assertThat(halves.jobs).isEqualTo(readSequentially(file).jobs).hasSize(ITEMS);
    }

    @Test
    void unusableItemsInTheSecondHalfAreCountedWithTheirPayloadNumbers() throws IOException {
        Path file = write(i -> i == ITEMS - 10 ? item(i, "1").replace("\"job\":", "\"jobless\":")
                : item(i, "\"" + FILLER + "\""));
        Recording sequential = new Recording();
        ProwJobReader.Summary expected;
        try (InputStream in = Files.newInputStream(file)) {
            expected = ProwJobReader.read(in, file.toString(), sequential);
        }
        Recording halves = new Recording();
        ProwJobReader.Summary summary = ProwJobReader.readFile(file, halves, (done, total) -> { }, true);
        assertThat(halves.threads).contains("prowjobs-second-half");
        assertThat(summary).isEqualTo(expected);
        assertThat(summary.skipped()).isOne();
        assertThat(summary.firstProblem()).startsWith("item " + (ITEMS - 9) + ": ");
        assertThat(halves.jobs).isEqualTo(sequential.jobs);
    }

    @Test
    void aBrokenSecondHalfFailsWithTheSequentialReadsError() throws IOException {
        Path file = write(i -> i == ITEMS - 5 ? item(i, "1").replace("\"state\":\"success\"", "\"state\":tru")
                : item(i, "\"" + FILLER + "\""));
        String expected;
        try (InputStream in = Files.newInputStream(file)) {
            expected = catchMessage(() -> ProwJobReader.read(in, file.toString(), new Recording()));
        }
        assertThat(expected).contains("malformed JSON near item " + (ITEMS - 4));
        assertThatThrownBy(() -> ProwJobReader.readFile(file, new Recording(), (done, total) -> { }, true))
                .isInstanceOf(PayloadException.class).hasMessage(expected);
    }

    @Test
    void aTruncatedFileIsTruncatedEitherWay() throws IOException {
        Path whole = write(i -> item(i, "\"" + FILLER + "\""));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.json");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 5_000));
        assertThatThrownBy(() -> ProwJobReader.readFile(cut, new Recording(), (done, total) -> { }, true))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.problem()).isEqualTo(PayloadException.Problem.TRUNCATED))
                .hasMessageContaining("item " + ITEMS);
        Path afterItems = dir.resolve("after-items.json");
        Files.write(afterItems, java.util.Arrays.copyOf(bytes, bytes.length - 4)); // cut in "after":{...}
        assertThatThrownBy(() -> ProwJobReader.readFile(afterItems, new Recording(), (done, total) -> { }, true))
                .hasMessageContaining("ends in the middle of the JSON, after its " + ITEMS + " items");
    }

    private Path write(IntFunction<String> items) throws IOException {
        Path file = dir.resolve("prowjobs-" + System.nanoTime() + ".js");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("var allBuilds = {\"items\":[");
            for (int i = 0; i < ITEMS; i++) {
                out.write(i == 0 ? "" : ",");
                out.write(items.apply(i));
            }
            out.write("],\"after\":{\"x\":[1,2]}};\n");
        }
        assertThat(Files.size(file)).isGreaterThan(16L << 20);
        return file;
    }

    /** One finished run, with {@code filler} as the value of an env var of its pod spec. */
    private static String item(int i, String filler) {
        return "{\"kind\":\"ProwJob\",\"metadata\":{\"name\":\"run-" + i + "\"},\"spec\":{\"type\":\"periodic\","
                + "\"job\":\"periodic-job-" + (i % 7) + "\",\"pod_spec\":{\"containers\":[{\"args\":[\"--target=e2e\"],"
                + "\"env\":[{\"name\":\"CONFIG_SPEC\",\"value\":" + filler + "}]}]}},"
                + "\"status\":{\"state\":\"success\",\"startTime\":\"2026-11-28T10:00:00Z\","
                + "\"completionTime\":\"2026-11-28T10:30:00Z\",\"build_id\":\"" + (1000 + i) + "\"}}";
    }

    private static Recording readFile(Path file) throws IOException {
        Recording sink = new Recording();
        ProwJobReader.readFile(file, sink, (done, total) -> { }, true);
        return sink;
    }

    private static Recording readSequentially(Path file) throws IOException {
        Recording sink = new Recording();
        try (InputStream in = Files.newInputStream(file)) {
            ProwJobReader.read(in, file.toString(), sink);
        }
        return sink;
    }

    private static String catchMessage(ThrowingRunnable action) {
        try {
            action.run();
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws IOException;
    }

    /** Records each item's name and the threads that handed items to it (or to sinks joined into it). */
    private static final class Recording implements ProwJobReader.ParallelSink<Recording> {
        final List<String> jobs = new ArrayList<>();
        final Set<String> threads = new LinkedHashSet<>();

        @Override
        public void accept(ProwJob job) {
            jobs.add(job.name());
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public Recording fork() {
            return new Recording();
        }

        @Override
        public void join(Recording later) {
            jobs.addAll(later.jobs);
            threads.addAll(later.threads);
        }
    }
}
