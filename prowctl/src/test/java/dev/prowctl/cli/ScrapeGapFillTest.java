package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.testing.InfluxServer;

/**
 * {@code prowctl scrape} fills the gap after an outage: a scrape, three days without one (the state file says so),
 * then a scrape whose deck shows only its last day; InfluxDB has every run, once.
 */
@ExtendWith(InfluxServer.PerClass.class)
class ScrapeGapFillTest {

    private static InfluxServer influx;
    private final GcsStandIn gcs = new GcsStandIn();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path stateDir;

    ScrapeGapFillTest() throws Exception {
    }

    @BeforeAll
    static void start(InfluxServer server) {
        influx = server;
    }

    @AfterEach
    void stop() {
        gcs.close();
    }

    private static Instant start(ObjectNode pj) {
        return Instant.parse(pj.path("status").path("startTime").asText());
    }

    private CliRun scrape(String db) {
        return CliRun.of("scrape", "--url", gcs.url() + "?job=*", "--no-flakes", "--gcs-api-url", gcs.url(),
                "--gcsweb-url", "", "--state-dir", stateDir.toString(), "--influx-url", influx.url(), "--influx-db", db);
    }

    @Test
    void aThreeDayOutageLeavesNoHole() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // a run every 30 minutes, none exactly on a window's bound
        List<ObjectNode> runs = gcs.periodicRuns("periodic-ci-oadp-e2e", now.minus(Duration.ofDays(5))
                .plusSeconds(900), now.minus(Duration.ofMinutes(50)), Duration.ofMinutes(30));
        String db = influx.createDatabase("gap");
        Instant outageStart = now.minus(Duration.ofDays(3));
        // deck as it was when the outage began: the runs of its last 20 hours
        gcs.prowjobs = GcsStandIn.payload(runs.stream().filter(pj -> start(pj).isAfter(outageStart.minus(
                Duration.ofHours(20))) && start(pj).isBefore(outageStart)).toList());
        CliRun before = scrape(db);
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(ExitCodes.OK);
        assertThat(gcs.requests()).as("GCS requests without a gap").isZero();
        // three days without a scrape: the state says the last one was then
        Path state;
        try (Stream<Path> files = Files.list(stateDir.resolve("backfill"))) {
            state = files.filter(f -> f.getFileName().toString().startsWith("scrape-")).findFirst().orElseThrow();
        }
        ObjectNode saved = (ObjectNode) json.readTree(state.toFile());
        saved.put("last_scrape", outageStart.toString());
        Files.writeString(state, saved.toString());
        // deck now: the last 20 hours
        gcs.prowjobs = GcsStandIn.payload(runs.stream().filter(pj -> start(pj).isAfter(now.minus(
                Duration.ofHours(20)))).toList());

        CliRun after = scrape(db);

        assertThat(after.exitCode()).as(after.toString()).isEqualTo(ExitCodes.OK);
        assertThat(after.err()).contains("prowctl scrape: last scrape was at " + outageStart + ", longer ago than"
                + " deck's window: backfilled the runs made from " + outageStart.minus(Duration.ofHours(20)) + " to ");
        List<String> expected = runs.stream().filter(pj -> start(pj).isAfter(outageStart.minus(Duration.ofHours(20))))
                .map(pj -> pj.path("status").path("build_id").asText()).sorted().toList();
        JsonNode series = json.readTree(influx.query(db, "SELECT \"build_id\" FROM \"build\"")).at("/results/0/series/0");
        List<String> stored = new java.util.ArrayList<>();
        series.path("values").forEach(v -> stored.add(v.get(1).asText()));
        assertThat(stored).as("one point per run from the first deck window on, no hole")
                .hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);

        int requests = gcs.requests();
        CliRun next = scrape(db);
        assertThat(next.exitCode()).as(next.toString()).isEqualTo(ExitCodes.OK);
        assertThat(next.err()).doesNotContain("backfilled");
        assertThat(gcs.requests()).as("GCS requests once the gap is filled").isEqualTo(requests);
    }
}
