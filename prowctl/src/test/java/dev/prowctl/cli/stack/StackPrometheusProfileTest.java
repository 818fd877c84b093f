package dev.prowctl.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.stack.FakeDocker;
import dev.prowctl.stack.FakeDocker.Answer;
import dev.prowctl.stack.HostEnvironment;
import dev.prowctl.testing.PrometheusServer;
import dev.prowctl.testing.Readiness;

/**
 * {@code prowctl stack start} and {@code status} with the compose profile "prometheus", against fake docker
 * executables: which services start waits for, the relay token Alertmanager would send, and the status block (a
 * real Prometheus scraping a stand-in exporter).
 */
class StackPrometheusProfileTest {

    private static final String HEALTHY = "{\"Status\":\"running\",\"Health\":{\"Status\":\"healthy\"}}\n";
    private static final String TOKEN = "s3cret-relay-token-7f3a";

    @TempDir
    Path dir;

    StackCheckout stack;
    Path tokenFile;

    @BeforeEach
    void checkout() throws IOException {
        stack = new StackCheckout(dir);
        tokenFile = stack.checkout.resolve("relay-token");
    }

    /** {@code compose config --format json} of the stack with the profile on, as compose v2 prints it. */
    private String configV2(String relayToken, Map<String, Integer> ports) {
        StringBuilder services = new StringBuilder("\"grafana\":{\"environment\":{\"GF_SECURITY_ADMIN_PASSWORD\":"
                + "\"admin\"},\"ports\":[{\"host_ip\":\"127.0.0.1\",\"target\":3000,\"published\":\"3000\"}]},"
                + "\"relay\":{\"profiles\":[\"relay\",\"prometheus\"],\"environment\":{\"PROWCTL_RELAY_AUTH_TOKEN\":\""
                + relayToken + "\"}}");
        for (String service : List.of("exporter", "prometheus", "alertmanager")) {
            services.append(",\"").append(service).append("\":{\"profiles\":[\"prometheus\"],\"ports\":[{\"host_ip\":"
                    + "\"127.0.0.1\",\"target\":1,\"published\":\"").append(ports.getOrDefault(service, 1))
                    .append("\"}]}");
        }
        return "{\"name\":\"prowctl\",\"services\":{" + services + "},\"secrets\":{\"relay-token\":{\"name\":"
                + "\"prowctl_relay-token\",\"file\":\"" + tokenFile + "\"}}}";
    }

    private static FakeDocker healthy(FakeDocker fake, String... services) {
        int id = 0;
        for (String service : services) {
            fake.on("*", "* ps -a -q " + service, Answer.ok("c0ffee0" + id++ + "\n"));
        }
        return fake.on("docker", "inspect --format {{json .State}} *", Answer.ok(HEALTHY));
    }

    private static HostEnvironment withProfiles(HostEnvironment host, String profiles) {
        Map<String, String> variables = new HashMap<>(host.variables());
        variables.put("COMPOSE_PROFILES", profiles);
        return new HostEnvironment(variables, host.workingDir(), host.pollInterval());
    }

    @Test
    void startWaitsForTheProfilesServicesAndSaysWherePrometheusIs() throws IOException {
        Files.writeString(tokenFile, TOKEN + "\n");
        FakeDocker fake = healthy(FakeDocker.v2(dir), "influxdb", "grafana", "exporter", "prometheus",
                "alertmanager").on("docker", "compose * config --format json",
                Answer.ok(configV2(TOKEN, Map.of("prometheus", 9090))));

        CliRun run = stack.run(fake, "stack", "start");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fake.calls()).contains(stack.v2 + " up -d", stack.v2 + " ps -a -q exporter",
                stack.v2 + " ps -a -q prometheus", stack.v2 + " ps -a -q alertmanager");
        assertThat(run.err()).contains("for influxdb, grafana, exporter, prometheus and alertmanager to be healthy")
                .contains("alertmanager: healthy");
        assertThat(run.out()).contains("Prometheus: http://127.0.0.1:9090");
        assertThat(run.out() + run.err()).doesNotContain(TOKEN);
    }

    /** docker-compose 1.29 prints every service whatever the profiles: the profile counts when COMPOSE_PROFILES names it. */
    @Test
    void composeV1PrintsEveryServiceSoComposeProfilesDecides() throws IOException {
        Files.writeString(tokenFile, TOKEN);
        String yaml = """
                secrets:
                  relay-token:
                    file: %s
                services:
                  grafana:
                    ports:
                    - 127.0.0.1:3000:3000/tcp
                  relay:
                    environment:
                      PROWCTL_RELAY_AUTH_TOKEN: %s
                    profiles: [relay, prometheus]
                  prometheus:
                    profiles: [prometheus]
                    ports:
                    - 127.0.0.1:9090:9090/tcp
                  exporter:
                    profiles: [prometheus]
                  alertmanager:
                    profiles: [prometheus]
                """.formatted(tokenFile, TOKEN);
        FakeDocker fake = healthy(FakeDocker.v1Only(dir), "influxdb", "grafana", "exporter", "prometheus",
                "alertmanager").on("docker-compose", "* config", Answer.ok(yaml));
        HostEnvironment host = fake.install(stack.checkout);

        CliRun without = StackCheckout.run(host, "stack", "start");
        assertThat(without.exitCode()).as(without.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fake.calls()).doesNotContain(stack.v1 + " ps -a -q prometheus");
        assertThat(without.out()).doesNotContain("Prometheus:");

        CliRun with = StackCheckout.run(withProfiles(host, "relay,prometheus"), "stack", "start");
        assertThat(with.exitCode()).as(with.toString()).isEqualTo(ExitCodes.OK);
        assertThat(fake.calls()).contains(stack.v1 + " ps -a -q prometheus", stack.v1 + " ps -a -q exporter");
        assertThat(with.out()).contains("Prometheus: http://127.0.0.1:9090");
    }

    @Test
    void startRefusesARelayTokenAlertmanagerCannotUseAndStartsNothing() throws IOException {
        // no token file
        FakeDocker missing = FakeDocker.v2(dir.resolve("missing")).on("docker", "compose * config --format json",
                Answer.ok(configV2(TOKEN, Map.of())));
        CliRun noFile = stack.run(missing, "stack", "start");
        assertThat(noFile.exitCode()).as(noFile.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFile.err()).contains(tokenFile.toString()).contains("PROWCTL_RELAY_TOKEN_FILE");
        assertThat(missing.calls()).noneMatch(call -> call.contains(" up "));

        // an empty file
        Files.writeString(tokenFile, "\n");
        FakeDocker empty = FakeDocker.v2(dir.resolve("empty")).on("docker", "compose * config --format json",
                Answer.ok(configV2(TOKEN, Map.of())));
        CliRun blank = stack.run(empty, "stack", "start");
        assertThat(blank.exitCode()).as(blank.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(blank.err()).contains("is empty");

        // a token the relay does not accept: named, never printed
        Files.writeString(tokenFile, TOKEN);
        FakeDocker other = FakeDocker.v2(dir.resolve("other")).on("docker", "compose * config --format json",
                Answer.ok(configV2("another-secret-9d1e", Map.of())));
        CliRun differs = stack.run(other, "stack", "start");
        assertThat(differs.exitCode()).as(differs.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(differs.err()).contains("PROWCTL_RELAY_AUTH_TOKEN differs from the token in " + tokenFile);
        assertThat(differs.out() + differs.err()).doesNotContain(TOKEN).doesNotContain("another-secret-9d1e");
        assertThat(other.calls()).noneMatch(call -> call.contains(" up "));

        // the relay without any token
        FakeDocker none = FakeDocker.v2(dir.resolve("none")).on("docker", "compose * config --format json",
                Answer.ok(configV2("", Map.of())));
        CliRun unset = stack.run(none, "stack", "start");
        assertThat(unset.exitCode()).as(unset.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unset.err()).contains("needs PROWCTL_RELAY_AUTH_TOKEN");
    }

    @Test
    void statusShowsTheExporterPrometheusAndAlertmanagerWhenTheProfileRuns() throws Exception {
        Files.writeString(tokenFile, TOKEN);
        HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        standIn.createContext("/metrics", exchange -> reply(exchange, 200, "prowctl_scrape_interval_seconds 300\n"));
        standIn.createContext("/readyz", exchange -> reply(exchange, 200, "ready: last successful scrape 12 s ago"));
        standIn.createContext("/-/ready", exchange -> reply(exchange, 200, "OK"));
        standIn.start();
        int port = standIn.getAddress().getPort();
        try (PrometheusServer prometheus = PrometheusServer.start("""
                  - job_name: prowctl-exporter
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port))) {
            awaitTargetUp(prometheus);
            int prometheusPort = URI.create(prometheus.url()).getPort();
            FakeDocker fake = healthy(FakeDocker.v2(dir), "exporter", "prometheus", "alertmanager", "relay")
                    .on("docker", "compose * config --format json", Answer.ok(configV2(TOKEN, Map.of("exporter",
                            port, "prometheus", prometheusPort, "alertmanager", port))));

            CliRun run = stack.run(fake, "stack", "status");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("\nPrometheus (docs/prometheus.md):\n"
                    + "  exporter:      healthy; http://127.0.0.1:" + port + "/readyz: 200 ready: last successful"
                    + " scrape 12 s ago\n"
                    + "  prometheus:    healthy; scrape of the exporter: up\n"
                    + "  alerts:        none firing\n"
                    + "  alertmanager:  healthy; http://127.0.0.1:" + port + "/-/ready: 200 OK\n");
        } finally {
            standIn.stop(0);
        }
    }

    @Test
    void statusSaysWhatItCannotReach() throws Exception {
        FakeDocker fake = healthy(FakeDocker.v2(dir), "exporter", "prometheus", "alertmanager", "relay")
                .on("docker", "compose * config --format json", Answer.ok(configV2(TOKEN, Map.of("exporter", 9,
                        "prometheus", 9, "alertmanager", 9))));

        CliRun run = stack.run(fake, "stack", "status");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("  exporter:      healthy; http://127.0.0.1:9/readyz: unreachable (")
                .contains("  prometheus:    healthy; unreachable at http://127.0.0.1:9 (")
                .contains("  alerts:        unknown (");
    }

    @Test
    void statusWithoutTheProfileHasNoPrometheusBlock() throws IOException {
        CliRun run = stack.run(FakeDocker.v2(dir), "stack", "status");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).doesNotContain("Prometheus (docs/prometheus.md)");
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void awaitTargetUp(PrometheusServer prometheus) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Readiness.until("the stand-in exporter's target up in Prometheus", Duration.ofSeconds(30),
                Duration.ofMillis(100), () -> http.send(HttpRequest.newBuilder(
                        URI.create(prometheus.url() + "/api/v1/targets")).build(),
                        HttpResponse.BodyHandlers.ofString()).body(),
                body -> body.contains("\"health\":\"up\""));
    }
}
