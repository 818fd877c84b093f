package dev.prowctl.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.pipeline.ScrapeListener;
import dev.prowctl.scraper.pipeline.ScrapePipeline;
import dev.prowctl.scraper.pipeline.ScrapeSources;
import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.RunDeriver;
import dev.prowctl.testing.PrometheusServer;
import dev.prowctl.testing.TestEnv;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/**
 * A deck stand-in → the exporter → a real Prometheus scraping it every second: what Prometheus stores equals the
 * runs of the payload by state, and after a restart of the exporter the counters continue without a reset.
 */
class ExporterPrometheusTest {

    private static final Instant NOW = Instant.now();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AtomicReference<MockResponse> deckAnswer = new AtomicReference<>();
    private final MockWebServer deck = new MockWebServer();
    private int port;
    private PrometheusServer prometheus;
    private Exporter exporter;
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        deck.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return deckAnswer.get();
            }
        });
        deck.start();
        port = TestEnv.freePort();
        startExporter();
        prometheus = PrometheusServer.start("""
                  - job_name: prowctl
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port));
    }

    @AfterEach
    void stop() throws IOException {
        if (prometheus != null) {
            prometheus.close();
        }
        stopExporter();
        deck.close();
    }

    private void startExporter() throws IOException {
        DeckUrl deckUrl = DeckUrl.parse(deck.url("/").toString());
        ProwJobSource source = ScrapeSources.deck(
                new DeckClient(new OkHttpClient(), deckUrl, Duration.ofSeconds(5), 1, Duration.ZERO), deckUrl,
                Duration.ofSeconds(5));
        Exporter.Scrapes scrapes = new Exporter.Scrapes() {
            @Override
            public ProwJobSource source() {
                return source;
            }

            @Override
            public ScrapePipeline pipeline(ClassificationListener listener) {
                return new ScrapePipeline(JobFilter.ANY, new RunDeriver(deckUrl, ""), RunClassifier.NONE,
                        ScrapeListener.NONE);
            }
        };
        RunLedger ledger = new RunLedger();
        LedgerFile file = new LedgerFile(dir);
        file.load(ledger);
        exporter = new Exporter(scrapes, ledger, file, Duration.ofMinutes(5), Clock.systemUTC(), () -> 0, line -> { });
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(exporter.metrics());
        server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), registry,
                exporter::readiness);
        exporter.afterEachScrape(server::refresh);
    }

    private void stopExporter() {
        if (server != null) {
            server.close();
            exporter.close();
        }
    }

    private void serve(Payloads payload) {
        deckAnswer.set(new MockResponse.Builder().code(200).body(payload.json()).build());
    }

    private static Payloads firstPayload() {
        Payloads payload = new Payloads();
        String[] states = {"success", "failure", "failure", "aborted", "error", "success", "success"};
        for (int i = 0; i < states.length; i++) {
            payload.add("run-" + i, "job-" + (i % 3), states[i], NOW.minusSeconds(3600 - i * 60L));
        }
        return payload;
    }

    @Test
    void prometheusStoresTheRunsByStateAndSeesNoResetAcrossARestart() throws Exception {
        Payloads first = firstPayload();
        serve(first);
        assertThat(exporter.scrapeOnce()).isTrue();
        Map<String, Double> expected = byState(first);
        assertThat(awaitByState(expected)).isEqualTo(expected);

        // the deck fails meanwhile: Prometheus keeps getting the last good values and the error count
        deckAnswer.set(new MockResponse.Builder().code(500).body("oops").build());
        assertThat(exporter.scrapeOnce()).isFalse();
        awaitValue("sum(prowctl_scrape_errors_total{reason=\"deck_http\"})", 1.0);
        assertThat(awaitByState(expected)).isEqualTo(expected);

        stopExporter();
        startExporter();
        Payloads second = firstPayload()
                .add("run-new-1", "job-0", "failure", NOW.minusSeconds(60))
                .add("run-new-2", "job-1", "success", NOW.minusSeconds(30));
        serve(second);
        assertThat(exporter.scrapeOnce()).isTrue();
        Map<String, Double> after = byState(second);
        assertThat(awaitByState(after)).isEqualTo(after);
        assertThat(awaitValue("sum(resets(prowctl_job_runs_total[5m]))", 0.0)).isZero();
        assertThat(deck.getRequestCount()).as("one deck request per scrape").isEqualTo(3);
    }

    private static Map<String, Double> byState(Payloads payload) {
        Map<String, Double> counts = new TreeMap<>();
        payload.runs().forEach(run -> counts.merge(run.state(), 1.0, Double::sum));
        return counts;
    }

    /** Waits until Prometheus's {@code sum by (state)} equals {@code expected}; returns what it last saw. */
    private Map<String, Double> awaitByState(Map<String, Double> expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Double> seen = Map.of();
        while (System.nanoTime() < deadline) {
            seen = vector("sum by (state) (prowctl_job_runs_total)", "state");
            if (seen.equals(expected)) {
                return seen;
            }
            Thread.sleep(200); // waiting for Prometheus's next scrape, which the test cannot trigger
        }
        return seen;
    }

    private double awaitValue(String promql, double expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Double seen = null;
        while (System.nanoTime() < deadline) {
            seen = vector(promql, null).get("");
            if (seen != null && seen == expected) {
                return seen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(promql + " was " + seen + ", not " + expected + "; log:\n" + prometheus.log());
    }

    private Map<String, Double> vector(String promql, String label) throws Exception {
        JsonNode result = JSON.readTree(prometheus.query(promql)).path("data").path("result");
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : result) {
            String key = label == null ? "" : sample.path("metric").path(label).asText();
            values.put(key, Double.parseDouble(sample.path("value").get(1).asText()));
        }
        return values;
    }
}
