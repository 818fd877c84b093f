package dev.prowctl.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;


/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}, 0.25) on 127.0.0.1, whose one
 * receiver posts webhooks to {@code webhookUrl} with the given {@code http_config} YAML (auth), or with a whole
 * configuration. Alerts are pushed with {@link #postAlerts} (or by a Prometheus); {@link #close()} stops it by its
 * PID.
 */
public final class AlertmanagerServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AlertmanagerServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * @param httpConfig YAML lines under {@code http_config:} (indented by 8 spaces), e.g. a {@code basic_auth} block
     */
    public static AlertmanagerServer start(String webhookUrl, String httpConfig) throws IOException, InterruptedException {
        return startWithConfig("""
                route:
                  receiver: relay
                  group_by: ['alertname']
                  group_wait: 500ms
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: relay
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                        http_config:
                %s
                """.formatted(webhookUrl, httpConfig));
    }

    /** With a whole configuration file's text (such as the project's {@code prometheus/alertmanager.yml}, adapted). */
    public static AlertmanagerServer startWithConfig(String config) throws IOException, InterruptedException {
        Path binary = TestEnv.requireBinary("prometheus-alertmanager", "prometheus-alertmanager");
        Path dir = Files.createTempDirectory("prowctl-alertmanager");
        int port = TestEnv.freePort();
        Path configFile = dir.resolve("alertmanager.yml");
        Files.writeString(configFile, config);
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                // Empty: otherwise it opens a gossip port on every interface.
                "--cluster.listen-address=", "--web.external-url=http://127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        AlertmanagerServer server = new AlertmanagerServer(process, dir, port);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException {
        try {
            Readiness.await("alertmanager", process, dir.resolve("alertmanager.log"), Duration.ofSeconds(20),
                    Readiness.answers(url() + "/-/ready", 200));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("alertmanager.log"));
    }

    /** POST /api/v2/alerts with a JSON array of alerts; throws unless 200. */
    public void postAlerts(String jsonArray) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonArray)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("alertmanager refused the alerts: " + response.statusCode() + " " + response.body());
        }
    }

    @Override
    public void close() {
        TestEnv.stop(process);
        TestEnv.deleteTree(dir);
    }
}
