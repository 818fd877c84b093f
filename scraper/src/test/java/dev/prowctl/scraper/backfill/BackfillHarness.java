package dev.prowctl.scraper.backfill;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.http.Sleeper;
import dev.prowctl.http.TimeSource;
import dev.prowctl.scraper.flake.FakeArtifactsServer;
import dev.prowctl.scraper.flake.RetryPolicy;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.output.JsonLines;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.pipeline.RunSink;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobReader;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.RunDeriver;
import okhttp3.OkHttpClient;

/** A backfill against a {@link FakeArtifactsServer}, and a scrape of the same runs to compare it with. */
final class BackfillHarness {

    /** What a backfill reported. */
    static final class Recorder implements BackfillListener {
        final List<String> leftOut = Collections.synchronizedList(new ArrayList<>());
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        int resumed = -1;

        @Override
        public void leftOut(String line) {
            leftOut.add(line);
        }

        @Override
        public void warning(String line) {
            warnings.add(line);
        }

        @Override
        public void resumed(int runsAlreadyDone, int jobs) {
            resumed = runsAlreadyDone;
        }
    }

    static final OkHttpClient CLIENT = new OkHttpClient();
    static final RetryPolicy FAST_RETRIES = new RetryPolicy(Duration.ofSeconds(10), 2, Duration.ofMillis(1),
            Duration.ofMillis(5));

    final FakeArtifactsServer server;
    final DeckUrl deck;
    final RunDeriver deriver;
    int concurrency = 8;
    int batchSize = 50;
    boolean gcsweb = true;
    Supplier<RunClassifier> classifiers = () -> RunClassifier.NONE;

    BackfillHarness(FakeArtifactsServer server) {
        this.server = server;
        this.deck = DeckUrl.parse(server.url("/").toString());
        this.deriver = new RunDeriver(deck, server.gcswebPrefix().toString());
    }

    static ProwJobSource source(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return (sink, progress) -> ProwJobReader.read(new ByteArrayInputStream(bytes), "deck", sink);
    }

    Backfill backfill(JobFilter filter, Checkpoints checkpoints, BackfillListener listener) {
        BackfillSettings settings = new BackfillSettings(server.apiUrl(), gcsweb ? server.gcswebPrefix() : null,
                concurrency, FAST_RETRIES, batchSize);
        return new Backfill(CLIENT, settings, deck, filter, deriver, classifiers, checkpoints, listener,
                TimeSource.system(), Sleeper.system());
    }

    List<BackfillJob> jobs(List<ObjectNode> deckRuns, JobFilter filter, Instant now) throws IOException {
        return JobSelection.select(source(ProwHistory.payload(deckRuns)), filter, null, now);
    }

    /** Backfills into JSON lines; the result and the lines. */
    record Printed(BackfillResult result, List<String> lines) {
    }

    Printed print(List<BackfillJob> jobs, JobFilter filter, Instant since, Instant until, Checkpoints checkpoints,
                  BackfillListener listener) throws IOException {
        StringWriter out = new StringWriter();
        BackfillResult result = backfill(filter, checkpoints, listener).run(jobs, since, until,
                new PrintSink(out, new JsonLines()));
        return new Printed(result, out.toString().lines().toList());
    }

    /** What {@code scrape} prints for a deck payload of these ProwJobs. */
    List<String> scrape(List<ObjectNode> prowJobs, JobFilter filter) throws IOException {
        StringWriter out = new StringWriter();
        new ScrapePipeline(filter, deriver, RunClassifier.NONE, ScrapeListener.NONE)
                .run(source(ProwHistory.payload(prowJobs)), new PrintSink(out, new JsonLines()));
        return out.toString().lines().toList();
    }

    static Checkpoints checkpoints(Path stateDir, List<String> warnings) {
        return Checkpoints.open(stateDir, "test", warnings::add);
    }

    /** A sink that fails on its {@code n}-th batch (a kill half way). */
    static RunSink failingOn(int n, RunSink sink) {
        int[] calls = {0};
        return (runs, progress) -> {
            if (++calls[0] == n) {
                throw new IOException("killed");
            }
            return sink.accept(runs, progress);
        };
    }
}
