package dev.prowctl.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Prometheus server (Debian package {@code prometheus}) on 127.0.0.1 with its TSDB in a temporary directory,
 * scraping the given targets every second. {@link #close()} stops it by its PID.
 */
public final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts Prometheus with {@code scrapeConfigs} (the YAML list items under {@code scrape_configs:}, indented by
     * two spaces) and a 1 s scrape and evaluation interval, and waits until {@code /-/ready} answers 200.
     */
    public static PrometheusServer start(String scrapeConfigs) throws IOException, InterruptedException {
        return start(scrapeConfigs, null);
    }

    /**
     * As {@link #start(String)}, on the TSDB in {@code dataDir} (blocks made by {@code promtool tsdb
     * create-blocks-from}; left in place by {@link #close()}) when it is not null, keeping its blocks for 100 years
     * so that history at fixed dates is never deleted as too old.
     */
    public static PrometheusServer start(String scrapeConfigs, Path dataDir) throws IOException,
            InterruptedException {
        return startWithConfig("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                """ + scrapeConfigs, dataDir);
    }

    /**
     * With a whole configuration file's text (such as the project's {@code prometheus/prometheus.yml} with its
     * addresses and intervals adapted; relative {@code rule_files} would be read from a temporary directory, so
     * give them as absolute paths).
     */
    public static PrometheusServer startWithConfig(String configText) throws IOException, InterruptedException {
        return startWithConfig(configText, null);
    }

    private static PrometheusServer startWithConfig(String configText, Path dataDir) throws IOException,
            InterruptedException {
        Path prometheus = TestEnv.requireBinary("prometheus", "prometheus");
        Path dir = Files.createTempDirectory("prowctl-prometheus");
        int port = TestEnv.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, configText);
        Process process = new ProcessBuilder(prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + (dataDir == null ? dir.resolve("data") : dataDir),
                "--storage.tsdb.retention.time=" + (dataDir == null ? "15d" : "100y"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, dir, port);
        try {
            Readiness.await("prometheus", process, dir.resolve("prometheus.log"), Duration.ofSeconds(30),
                    Readiness.answers(server.url() + "/-/ready", 200));
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Runs an instant PromQL query and returns the raw JSON answer; throws unless the status is 200. */
    public String query(String promql) throws IOException, InterruptedException {
        URI uri = URI.create(url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("query failed (" + response.statusCode() + "): " + promql + " -> "
                    + response.body());
        }
        return response.body();
    }

    /** The server's log so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops Prometheus by its PID and deletes its configuration, log and own data directory. */
    @Override
    public void close() {
        TestEnv.stop(process);
        TestEnv.deleteTree(dir);
    }
}
