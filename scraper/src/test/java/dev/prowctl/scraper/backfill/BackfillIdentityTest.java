package dev.prowctl.scraper.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.prowctl.scraper.flake.ArtifactsClassifier;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.ClassifierSettings;
import dev.prowctl.scraper.flake.FakeArtifactsServer;
import dev.prowctl.scraper.flake.FlakeCache;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.influx.InfluxTarget;
import dev.prowctl.scraper.influx.InfluxWriter;
import dev.prowctl.scraper.output.LineProtocol;
import dev.prowctl.scraper.pipeline.InfluxSink;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun.JobType;
import dev.prowctl.testing.InfluxServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * On a real influxd: backfill, then scrape a deck payload holding some of the same runs, then backfill again: one
 * point per run, and the fields and tags of every point are what the first backfill wrote. Failed runs are
 * classified by the same artifacts classifier in every step.
 */
@ExtendWith(InfluxServer.PerClass.class)
class BackfillIdentityTest {

    private static final Instant DAY0 = Instant.parse("2026-11-25T00:00:00Z");
    private static final JobFilter ALL = new JobFilter("*", null, null, null, null, null, null);
    private static InfluxServer influx;

    private final FakeArtifactsServer server = new FakeArtifactsServer();
    private final ProwHistory history = new ProwHistory(server);
    private final BackfillHarness harness = new BackfillHarness(server);

    @BeforeAll
    static void start(InfluxServer server) {
        influx = server;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RunClassifier classifier() {
        return new ArtifactsClassifier(new OkHttpClient(), new ClassifierSettings(server.apiUrl(),
                server.gcswebPrefix(), 4, Duration.ofSeconds(60), BackfillHarness.FAST_RETRIES),
                FlakeCache.inMemory(java.time.Clock.systemUTC()), ClassificationListener.NONE);
    }

    private static InfluxSink sink(InfluxTarget target) {
        return new InfluxSink(new InfluxWriter(new OkHttpClient(), target, 50, 1, Duration.ZERO), target,
                new LineProtocol("build"));
    }

    private String points(String db) throws Exception {
        return influx.query(db, "SELECT * FROM \"build\" GROUP BY *");
    }

    private long count(String db) throws Exception {
        return new ObjectMapper().readTree(influx.query(db, "SELECT count(\"build_id\") FROM \"build\""))
                .at("/results/0/series/0/values/0/1").asLong();
    }

    @Test
    void backfillScrapeAndBackfillAgainKeepOnePointPerRunWithTheSameFields() throws Exception {
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(3));
        List<ObjectNode> all = new ArrayList<>();
        all.addAll(history.runs("periodic-ci-oadp-e2e-aws", JobType.PERIODIC, from, now.minusSeconds(3600),
                Duration.ofHours(3), 3));
        all.addAll(history.runs("pull-ci-oadp-e2e", JobType.PRESUBMIT, from, now.minusSeconds(3600),
                Duration.ofHours(2), 4));
        all.addAll(history.runs("pull-ci-oadp-e2e", JobType.BATCH, from, now.minusSeconds(3600), Duration.ofHours(9),
                2));
        all.addAll(history.runs("branch-ci-oadp-images", JobType.POSTSUBMIT, from, now.minusSeconds(3600),
                Duration.ofHours(5), 0));
        // deck's last day: the runs of the last 24 hours
        List<ObjectNode> deck = all.stream().filter(pj -> Instant.parse(pj.path("status").path("startTime").asText())
                .isAfter(now.minus(Duration.ofHours(24)))).toList();
        assertThat(deck).isNotEmpty().hasSizeLessThan(all.size() / 2);
        String db = influx.createDatabase("identity");
        InfluxTarget target = new InfluxTarget.V1(HttpUrl.get(influx.url()), db, null, null, null);
        harness.classifiers = this::classifier;
        List<BackfillJob> jobs = harness.jobs(deck, ALL, now);

        BackfillResult first = harness.backfill(ALL, Checkpoints.none(), BackfillListener.NONE)
                .run(jobs, from, now, sink(target));
        assertThat(first.incomplete()).isFalse();
        assertThat(first.written()).isEqualTo(all.size());
        assertThat(count(db)).isEqualTo(all.size());
        String afterBackfill = points(db);
        assertThat(afterBackfill).contains("\"flake_reason\"");

        new ScrapePipeline(ALL, harness.deriver, classifier(), ScrapeListener.NONE)
                .run(BackfillHarness.source(ProwHistory.payload(deck)), sink(target));
        assertThat(count(db)).isEqualTo(all.size());
        assertThat(points(db)).isEqualTo(afterBackfill);

        BackfillResult again = harness.backfill(ALL, Checkpoints.none(), BackfillListener.NONE)
                .run(jobs, from, now, sink(target));
        assertThat(again.written()).isEqualTo(all.size());
        assertThat(count(db)).isEqualTo(all.size());
        assertThat(points(db)).isEqualTo(afterBackfill);
        JsonNode series = new ObjectMapper().readTree(afterBackfill).at("/results/0/series");
        assertThat(series.size()).as("series (one per tag set)").isPositive();
    }
}
