package dev.prowctl.scraper.prow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.testing.TestEnv;

/** The test payloads: the cases payload from test-support and the real ones in {@code ../shared}. */
public final class Fixtures {

    /** Our realistic payload: periodic, presubmit, rehearsal, pending, override, long names, nasty labels, bad items. */
    public static final String CASES = "prow/scrape-cases.json";

    private Fixtures() {
    }

    /** A fixture on the test classpath; {@link #CASES} ships with test-support, shared with the CLI tests. */
    public static Path resource(String name) {
        return TestEnv.resource(name);
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path shared(String name) {
        return TestEnv.sharedFile("fixtures/prow/" + name);
    }

    /** Every usable ProwJob of a payload, unfiltered. */
    public static List<ProwJob> read(Path file) throws IOException {
        List<ProwJob> jobs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            ProwJobReader.read(in, file.toString(), jobs::add);
        }
        return jobs;
    }

    /** The finished runs of a payload with deck links for prow.ci.openshift.org and the default gcsweb. */
    public static RunCollector collect(Path file, JobFilter filter) throws IOException {
        DeckUrl deck = DeckUrl.parse("https://prow.ci.openshift.org/");
        RunCollector collector = new RunCollector(filter, new RunDeriver(deck, RunDeriver.DEFAULT_GCSWEB));
        ProwJobSource.file(file).read(collector, ProgressListener.NONE);
        return collector;
    }
}
