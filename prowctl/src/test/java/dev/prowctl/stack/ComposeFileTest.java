package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.prowctl.testing.TestEnv;

/** docker-compose.yml, the Grafana provisioning files and the Containerfile's Telegraf target, and how they fit together. */
class ComposeFileTest {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Path REPO = TestEnv.repoDir();

    private record Run(int exitCode, String output) {
    }

    /** docker-compose 1.29 reading the compose file from stdin, resolved against the checkout. */
    private static Run composeConfig(String composeYaml) throws IOException, InterruptedException {
        Path dockerCompose = TestEnv.requireBinary("docker-compose", "docker-compose");
        ProcessBuilder builder = new ProcessBuilder(dockerCompose.toString(), "--project-directory", REPO.toString(),
                "-f", "-", "config", "-q").redirectErrorStream(true);
        // compose substitutes ${VAR:-default} from the environment: validate the defaults, not this machine's env
        builder.environment().keySet().removeIf(name -> name.startsWith("GRAFANA_") || name.startsWith("INFLUXDB_"));
        Process process = builder.start();
        process.getOutputStream().write(composeYaml.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static String composeText() throws IOException {
        return Files.readString(REPO.resolve("docker-compose.yml"));
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(REPO.resolve("docker-compose.yml").toFile());
    }

    @Test
    void dockerCompose129AcceptsTheFile() throws Exception {
        Run run = composeConfig(composeText());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).isEmpty();
    }

    /** The profile's services validate too, and the profile is the only change: without it the rest is as before. */
    @Test
    void dockerCompose129AcceptsThePrometheusProfile() throws Exception {
        Path dockerCompose = TestEnv.requireBinary("docker-compose", "docker-compose");
        Process process = new ProcessBuilder(dockerCompose.toString(), "-f", REPO.resolve("docker-compose.yml")
                .toString(), "--profile", "prometheus", "config", "-q").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** Alertmanager reads the relay's token where alertmanager.yml says, from a compose secret (a file). */
    @Test
    void alertmanagerGetsTheRelayTokenFromASecretFile() throws IOException {
        JsonNode compose = compose();
        String file = YAML.readTree(REPO.resolve("prometheus/alertmanager.yml").toFile()).findValue("credentials_file")
                .asText();
        JsonNode secret = compose.at("/services/alertmanager/secrets/0");
        assertThat(secret.path("source").asText()).isEqualTo("relay-token");
        assertThat(secret.path("target").asText()).isEqualTo(file);
        assertThat(compose.at("/secrets/relay-token/file").asText())
                .isEqualTo("${PROWCTL_RELAY_TOKEN_FILE:-./relay-token}");
        assertThat(compose.at("/services/prometheus/volumes").toString()).contains("./prometheus:/etc/prometheus:ro");
        assertThat(Files.readString(REPO.resolve(".gitignore"))).contains("/relay-token");
    }

    @Test
    void dockerCompose129RejectsWhatItDoesNotKnow() throws Exception {
        // guards the check above: the same call does fail on a key compose does not know
        Run run = composeConfig(composeText().replaceFirst("restart: unless-stopped",
                "restart: unless-stopped\n    start_interval: 5s"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("start_interval");
    }

    @Test
    void staysWithinWhatComposeV1AndV2BothAccept() throws IOException {
        JsonNode compose = compose();
        assertThat(compose.has("name")).as("top-level name: rejected by 1.29").isFalse();
        assertThat(compose.has("version")).as("version: obsolete for v2").isFalse();
        assertThat(composeText()).doesNotContain("start_interval").doesNotContain("develop:");
    }

    @Test
    void servicesArePinnedHealthCheckedAndStartInOrder() throws IOException {
        JsonNode services = compose().path("services");
        assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder("influxdb", "grafana", "telegraf",
                "relay", "exporter", "prometheus", "alertmanager");
        assertThat(services.at("/influxdb/image").asText()).isEqualTo("influxdb:1.8.10");
        assertThat(services.at("/grafana/image").asText()).isEqualTo("grafana/grafana-oss:12.2.1");
        assertThat(services.at("/influxdb/healthcheck/test").toString()).contains("http://localhost:8086/ping");
        assertThat(services.at("/grafana/healthcheck/test").toString()).contains("http://localhost:3000/api/health");
        for (String service : List.of("influxdb", "grafana", "telegraf", "relay")) {
            assertThat(services.path(service).path("restart").asText()).as(service).isEqualTo("unless-stopped");
        }
        // The relay is opt-in (COMPOSE_PROFILES=relay), runs prowctl from the Telegraf image, needs a token.
        assertThat(services.at("/relay/profiles").toString()).isEqualTo("[\"relay\",\"prometheus\"]");
        // The Prometheus path is opt-in too, every service of it health-checked; the rest has no profile.
        for (String service : List.of("exporter", "prometheus", "alertmanager")) {
            assertThat(services.path(service).path("profiles").toString()).as(service).isEqualTo("[\"prometheus\"]");
            assertThat(services.path(service).path("healthcheck").path("test").toString()).as(service)
                    .contains("localhost:909");
        }
        for (String service : List.of("influxdb", "grafana", "telegraf")) {
            assertThat(services.path(service).has("profiles")).as(service).isFalse();
        }
        assertThat(services.at("/exporter/entrypoint").toString()).startsWith("[\"prowctl\",\"exporter\"")
                .contains("0.0.0.0:9096");
        for (String service : List.of("relay", "exporter")) {
            assertThat(services.path(service).at("/build/dockerfile").asText()).as(service)
                    .isEqualTo("deploy/image/Containerfile");
            assertThat(services.path(service).at("/build/target").asText()).as(service).isEqualTo("telegraf");
        }
        assertThat(services.at("/relay/entrypoint").toString()).startsWith("[\"prowctl\",\"relay\"");
        assertThat(services.at("/relay/environment/PROWCTL_RELAY_AUTH_TOKEN").asText())
                .isEqualTo("${PROWCTL_RELAY_AUTH_TOKEN:-}");
        for (String service : List.of("grafana", "telegraf")) {
            assertThat(services.at("/" + service + "/depends_on/influxdb/condition").asText()).as(service)
                    .isEqualTo("service_healthy");
        }
    }

    /** A moving tag (1.8, latest, 17-jre) gives a different stack on every pull: every image is x.y.z. */
    @Test
    void everyImageIsAnExactVersion() throws IOException {
        List<String> images = new ArrayList<>();
        compose().path("services").forEach(service -> {
            if (service.has("image")) {
                images.add(service.path("image").asText());
            }
        });
        Files.readString(REPO.resolve("deploy/image/Containerfile")).lines().filter(line -> line.startsWith("FROM "))
                .map(line -> line.split("\\s+")[1]).forEach(images::add);
        java.util.regex.Matcher copyFrom = java.util.regex.Pattern.compile("COPY --from=(\\S+:\\S+)")
                .matcher(Files.readString(REPO.resolve("deploy/image/Containerfile")));
        while (copyFrom.find()) {
            images.add(copyFrom.group(1));
        }
        assertThat(images).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(image -> assertThat(image).matches("[a-z0-9./-]+:v?\\d+\\.\\d+\\.\\d+([_-][A-Za-z0-9_.-]+)?"
                        // Red Hat's version-release tags (UBI): 1.24-3.1787219885
                        + "|[a-z0-9./-]+:\\d+\\.\\d+-\\d+\\.\\d+"));
        assertThat(images).contains("prom/prometheus:v2.53.4", "prom/alertmanager:v0.28.1");
        assertThat(images).contains("telegraf:" + TelegrafVersionTest.pinnedTelegraf());
    }

    /**
     * On SELinux hosts (Fedora, RHEL) a container may not read a bind-mounted host directory until it is
     * relabelled: z (shared label) on every bind mount, or Grafana starts without datasource and dashboards.
     */
    @Test
    void bindMountsAreRelabelledForSELinux() throws IOException {
        List<String> bindMounts = new ArrayList<>();
        compose().path("services").forEach(service -> service.path("volumes").forEach(volume -> {
            String spec = volume.asText();
            if (spec.startsWith(".") || spec.startsWith("/")) {
                bindMounts.add(spec);
            }
        }));
        assertThat(bindMounts).hasSize(4).allSatisfy(spec -> {
            String[] parts = spec.split(":");
            assertThat(parts).as(spec).hasSize(3);
            assertThat(List.of(parts[2].split(","))).as(spec).contains("ro", "z");
        });
    }

    @Test
    void portsAreBoundToLoopbackUnlessConfiguredOtherwise() throws IOException {
        List<String> ports = new ArrayList<>();
        compose().path("services").forEach(service -> service.path("ports").forEach(port -> ports.add(port.asText())));
        assertThat(ports).containsExactlyInAnyOrder("${INFLUXDB_BIND:-127.0.0.1}:${INFLUXDB_PORT:-8086}:8086",
                "${GRAFANA_BIND:-127.0.0.1}:${GRAFANA_PORT:-3000}:3000",
                "${RELAY_BIND:-127.0.0.1}:${RELAY_PORT:-9095}:9095",
                "${EXPORTER_BIND:-127.0.0.1}:${EXPORTER_PORT:-9096}:9096",
                "${PROMETHEUS_BIND:-127.0.0.1}:${PROMETHEUS_PORT:-9090}:9090",
                "${ALERTMANAGER_BIND:-127.0.0.1}:${ALERTMANAGER_PORT:-9093}:9093");
        assertThat(compose().at("/services/telegraf/ports").isMissingNode()).isTrue();
    }

    @Test
    void grafanaCredentialsComeFromTheEnvironment() throws IOException {
        JsonNode env = compose().at("/services/grafana/environment");
        assertThat(env.path("GF_SECURITY_ADMIN_PASSWORD").asText()).isEqualTo("${GRAFANA_ADMIN_PASSWORD:-admin}");
        assertThat(env.path("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("${GRAFANA_ANONYMOUS:-false}");
        assertThat(env.path("GF_AUTH_ANONYMOUS_ORG_ROLE").asText()).isEqualTo("Viewer");
    }

    @Test
    void dataLivesInNamedVolumes() throws IOException {
        JsonNode compose = compose();
        assertThat(compose.path("volumes").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("influxdb-data", "grafana-data", "prowctl-state", "exporter-state",
                        "prometheus-data", "alertmanager-data");
        assertThat(compose.at("/services/influxdb/volumes").toString()).contains("influxdb-data:/var/lib/influxdb");
        assertThat(compose.at("/services/telegraf/volumes").toString()).contains("prowctl-state:/var/lib/prowctl");
    }

    @Test
    void telegrafIsBuiltHereSoCleanImagesRemovesIt() throws IOException {
        JsonNode telegraf = compose().at("/services/telegraf");
        assertThat(telegraf.at("/build/context").asText()).isEqualTo(".");
        assertThat(REPO.resolve(telegraf.at("/build/dockerfile").asText())).isRegularFile();
        // `down --rmi local` removes only images without a custom tag: an image: name would keep it
        assertThat(telegraf.has("image")).isFalse();
        assertThat(telegraf.at("/build/target").asText()).isEqualTo("telegraf");
        String dockerfile = Files.readString(REPO.resolve("deploy/image/Containerfile"));
        assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM "))).hasSize(3)
                .anyMatch(line -> line.startsWith("FROM telegraf:1.") && line.endsWith(" AS telegraf"));
        assertThat(dockerfile).contains("-DskipTests package").contains("COPY --from=build /prowctl.jar")
                .contains("COPY telegraf/telegraf.conf").contains("COPY telegraf/telegraf.d/");
    }

    @Test
    void grafanaIsProvisionedWithTheDatasourceTheDashboardsUse() throws IOException {
        JsonNode compose = compose();
        String grafanaVolumes = compose.at("/services/grafana/volumes").toString();
        assertThat(grafanaVolumes).contains("./grafana/provisioning:/etc/grafana/provisioning:ro")
                .contains("./dashboards:/var/lib/grafana/dashboards:ro");

        JsonNode datasource = YAML.readTree(REPO.resolve("grafana/provisioning/datasources/influxdb.yaml").toFile())
                .at("/datasources/0");
        assertThat(datasource.path("type").asText()).isEqualTo("influxdb");
        assertThat(datasource.path("url").asText()).isEqualTo("http://influxdb:8086");
        String database = compose.at("/services/influxdb/environment/INFLUXDB_DB").asText();
        assertThat(datasource.at("/jsonData/dbName").asText()).isEqualTo(database);
        assertThat(compose.at("/services/telegraf/environment/INFLUX_DB").asText()).isEqualTo(database);

        JsonNode provider = YAML.readTree(REPO.resolve("grafana/provisioning/dashboards/prowctl.yaml").toFile())
                .at("/providers/0");
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.at("/options/path").asText()).isEqualTo("/var/lib/grafana/dashboards");

        String uid = datasource.path("uid").asText();
        for (Path file : Dashboards.files()) {
            List<String> uids = new ArrayList<>();
            Dashboards.read(file).findValues("datasource").forEach(ds -> {
                if (ds.path("type").asText().equals("influxdb")) {
                    uids.add(ds.path("uid").asText());
                }
            });
            assertThat(uids).as(file.toString()).isNotEmpty().containsOnly(uid);
        }
        String home = compose.at("/services/grafana/environment/GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertThat(REPO.resolve("dashboards").resolve(Path.of(home).getFileName())).isRegularFile();
    }
}
