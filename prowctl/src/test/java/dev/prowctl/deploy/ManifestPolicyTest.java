package dev.prowctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.cli.TestCommandLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What the rendered manifests of both overlays must hold: the security settings of every workload (Pod Security
 * "restricted", OpenShift's restricted-v2 SCC), probes, resources, no secret value, the image at the project
 * version, real prowctl flags and variables, and the PrometheusRules and dashboard ConfigMaps equal to their one
 * source.
 */
class ManifestPolicyTest {

    private record Workload(String name, JsonNode podSpec) {
    }

    private static List<Workload> workloads(List<JsonNode> objects) {
        List<Workload> workloads = new ArrayList<>();
        for (JsonNode object : objects) {
            switch (object.path("kind").asText()) {
                case "Deployment", "StatefulSet", "DaemonSet", "Job" ->
                        workloads.add(new Workload(Manifests.name(object), object.at("/spec/template/spec")));
                case "CronJob" -> workloads.add(new Workload(Manifests.name(object),
                        object.at("/spec/jobTemplate/spec/template/spec")));
                case "Pod" -> workloads.add(new Workload(Manifests.name(object), object.path("spec")));
                default -> {
                }
            }
        }
        return workloads;
    }

    private static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec.path("initContainers").forEach(containers::add);
        podSpec.path("containers").forEach(containers::add);
        return containers;
    }

    private static JsonNode one(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> found = objects.stream().filter(o -> Manifests.name(o).equals(kind + "/" + name)).toList();
        assertThat(found).as(kind + "/" + name).hasSize(1);
        return found.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void everyWorkloadRunsRestricted(String overlay) {
        List<Workload> workloads = workloads(Manifests.render(overlay));
        assertThat(workloads).extracting(Workload::name).containsExactlyInAnyOrder("Deployment/prowctl-exporter",
                "Deployment/prowctl-relay", "CronJob/prowctl-scrape");
        for (Workload workload : workloads) {
            JsonNode pod = workload.podSpec();
            String as = overlay + " " + workload.name();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(as).isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).as(as).isEqualTo("RuntimeDefault");
            // restricted-v2 assigns UIDs (and fsGroup) from the project's range: a fixed one is refused there
            assertThat(pod.at("/securityContext/runAsUser").isMissingNode()).as(as).isTrue();
            assertThat(pod.at("/securityContext/fsGroup").isMissingNode()).as(as)
                    .isEqualTo(overlay.equals("openshift"));
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(as).isFalse();
            for (String forbidden : List.of("hostNetwork", "hostPID", "hostIPC")) {
                assertThat(pod.path(forbidden).asBoolean(false)).as(as + " " + forbidden).isFalse();
            }
            pod.path("volumes").forEach(volume -> assertThat(volume.has("hostPath")).as(as).isFalse());
            for (JsonNode container : containers(pod)) {
                String c = as + " container " + container.path("name").asText();
                JsonNode security = container.path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").isBoolean()
                        && !security.path("allowPrivilegeEscalation").asBoolean()).as(c).isTrue();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).as(c).isTrue();
                assertThat(security.path("privileged").asBoolean(false)).as(c).isFalse();
                assertThat(security.at("/capabilities/drop").toString()).as(c).isEqualTo("[\"ALL\"]");
                assertThat(security.at("/capabilities/add").isMissingNode()).as(c).isTrue();
                assertThat(security.path("runAsUser").isMissingNode()).as(c).isTrue();
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertThat(container.at("/resources/" + kind + "/" + resource).asText())
                                .as(c + " " + kind + "." + resource).isNotBlank();
                    }
                }
                // a read-only root needs a writable /tmp for the JVM
                assertThat(container.path("volumeMounts").toString()).as(c).contains("\"mountPath\":\"/tmp\"");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void imagesArePinnedToTheProjectVersion(String overlay) {
        String version = Manifests.projectVersion();
        for (Workload workload : workloads(Manifests.render(overlay))) {
            for (JsonNode container : containers(workload.podSpec())) {
                String image = container.path("image").asText();
                assertThat(image).as(workload.name()).endsWith("/prowctl:" + version).doesNotContain("@")
                        .doesNotContain(":latest");
                assertThat(container.path("imagePullPolicy").asText()).as(workload.name()).isEqualTo("IfNotPresent");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void deploymentsHaveProbesAndTheExporterUsesHealthzAndReadyz(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        for (JsonNode deployment : Manifests.ofKind(objects, "Deployment")) {
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                assertThat(container.has("livenessProbe")).as(Manifests.name(deployment)).isTrue();
                assertThat(container.has("readinessProbe")).as(Manifests.name(deployment)).isTrue();
            }
        }
        JsonNode exporter = one(objects, "Deployment", "prowctl-exporter").at("/spec/template/spec/containers/0");
        assertThat(exporter.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(exporter.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(exporter.at("/livenessProbe/httpGet/port").asText()).isEqualTo("metrics");
        assertThat(exporter.at("/ports/0/name").asText()).isEqualTo("metrics");
        assertThat(exporter.path("args").toString()).contains("--listen=0.0.0.0:9096");
        assertThat(exporter.at("/ports/0/containerPort").asInt()).isEqualTo(9096);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void theScrapeCronJobNeverOverlapsAndKeepsItsState(String overlay) {
        JsonNode cronJob = one(Manifests.render(overlay), "CronJob", "prowctl-scrape");
        assertThat(cronJob.at("/spec/schedule").asText()).isEqualTo("*/30 * * * *");
        assertThat(cronJob.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        int deadline = cronJob.at("/spec/jobTemplate/spec/activeDeadlineSeconds").asInt();
        assertThat(deadline).isPositive().isLessThan(30 * 60);
        JsonNode pod = cronJob.at("/spec/jobTemplate/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        assertThat(args.get(0)).isEqualTo("scrape");
        assertThat(args).contains("--influx-url=$(INFLUX_URL)", "--state-dir=/var/lib/prowctl");
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("name").asText() + ":" + m.path("mountPath").asText()));
        assertThat(mounts).contains("state:/var/lib/prowctl");
        assertThat(pod.path("volumes").toString()).contains("\"persistentVolumeClaim\":{\"claimName\":\"prowctl-scrape-state\"}");
        assertThat(container.at("/envFrom/0/secretRef/name").asText()).isEqualTo("prowctl-influxdb");
    }

    /** Secrets are referenced, never written: no Secret object, no secret option or value on a command line. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void noSecretValueIsInTheManifests(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        assertThat(Manifests.ofKind(objects, "Secret")).isEmpty();
        Pattern secretish = Pattern.compile("(?i).*(token|password|secret|webhook|basic_auth|credential).*");
        for (Workload workload : workloads(objects)) {
            for (JsonNode container : containers(workload.podSpec())) {
                container.path("env").forEach(env -> {
                    if (secretish.matcher(env.path("name").asText()).matches()) {
                        assertThat(env.has("value")).as(workload.name() + " " + env.path("name").asText()).isFalse();
                    }
                });
                container.path("args").forEach(arg -> assertThat(arg.asText()).as(workload.name())
                        .doesNotContain("--auth-token").doesNotContain("--basic-auth").doesNotContain("--hmac-secret")
                        .doesNotContain("--irc-password").doesNotContain("--grafana-token")
                        .doesNotContain("--slack-webhook").doesNotContain("--influx-password")
                        .doesNotContain("--influx-token").doesNotContain("@"));
            }
        }
        JsonNode relay = one(objects, "Deployment", "prowctl-relay").at("/spec/template/spec/containers/0");
        assertThat(relay.at("/envFrom/0/secretRef/name").asText()).isEqualTo("prowctl-relay");
        assertThat(relay.at("/envFrom/0/secretRef/optional").asBoolean(false)).as("the token is required").isFalse();
        // kubectl apply (client side) keeps the whole object in a 256 KiB annotation
        for (JsonNode object : objects) {
            assertThat(object.toString().getBytes(StandardCharsets.UTF_8).length).as(Manifests.name(object))
                    .isLessThan(256 * 1024);
        }
    }

    /**
     * The command lines are prowctl's own: each parses with the real CLI and lands on its subcommand, and each
     * variable the manifests set is one prowctl reads (or one the args expand, or the JVM's).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void commandLinesAndVariablesAreRealProwctlOnes(String overlay) {
        for (Workload workload : workloads(Manifests.render(overlay))) {
            for (JsonNode container : containers(workload.podSpec())) {
                List<String> args = new ArrayList<>();
                container.path("args").forEach(arg -> args.add(arg.asText()));
                CommandLine cli = TestCommandLine.create(new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()));
                ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
                assertThat(parsed.hasSubcommand()).as(workload.name()).isTrue();
                CommandLine command = parsed.subcommand().commandSpec().commandLine();
                assertThat(command.getCommandName()).as(workload.name()).isEqualTo(args.get(0));
                Set<String> read = new HashSet<>(List.of("JAVA_TOOL_OPTIONS"));
                // the defaults as written (${env:NAME:-x}), not as this machine's environment resolves them
                command.setInterpolateVariables(false);
                for (OptionSpec option : command.getCommandSpec().options()) {
                    Matcher env = Pattern.compile("\\$\\{env:([A-Z0-9_]+)").matcher(String.valueOf(option.defaultValue()));
                    while (env.find()) {
                        read.add(env.group(1));
                    }
                }
                container.path("env").forEach(env -> {
                    String name = env.path("name").asText();
                    assertThat(read.contains(name) || String.join(" ", args).contains("$(" + name + ")"))
                            .as(workload.name() + ": " + name + " is neither read by prowctl "
                                    + args.get(0) + " nor used in its args").isTrue();
                });
            }
        }
    }

    /** What the API server would refuse and kustomize lets through: names and ConfigMap keys. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void namesAndKeysAreValidForTheApiServer(String overlay) {
        for (JsonNode object : Manifests.render(overlay)) {
            String name = object.at("/metadata/name").asText();
            assertThat(name).as(Manifests.name(object)).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?").hasSizeLessThan(254);
            if (object.path("kind").asText().equals("Service")) {
                assertThat(name).as("a Service name is a DNS label").hasSizeLessThan(64).doesNotContain(".");
            }
            object.path("data").fieldNames().forEachRemaining(key ->
                    assertThat(key).as(Manifests.name(object)).matches("[-._a-zA-Z0-9]+"));
        }
    }

    /** Each key of the documented `kubectl create secret` lines is a variable prowctl reads. */
    @Test
    void theDocumentedSecretKeysAreVariablesProwctlReads() throws IOException {
        String docs = Files.readString(Manifests.REPO.resolve("docs/deploy.md"));
        StringBuilder sources = new StringBuilder();
        try (Stream<Path> files = Files.walk(Manifests.REPO.resolve("prowctl/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.append(Files.readString(file));
            }
        }
        Matcher literal = Pattern.compile("--from-literal=([A-Z0-9_]+)=").matcher(docs);
        Set<String> keys = new HashSet<>();
        while (literal.find()) {
            keys.add(literal.group(1));
        }
        assertThat(keys).contains("PROWCTL_RELAY_AUTH_TOKEN", "INFLUX_PASSWORD", "INFLUX_TOKEN");
        for (String key : keys) {
            assertThat(sources.toString().contains("${env:" + key + "}") || sources.toString().contains("${env:" + key + ":-")
                    || sources.toString().contains("getenv(\"" + key + "\")"))
                    .as(key + " is read by prowctl").isTrue();
        }
    }

    @Test
    void platformPieces() {
        List<JsonNode> kubernetes = Manifests.render("kubernetes");
        JsonNode namespace = one(kubernetes, "Namespace", "prowctl");
        for (String mode : List.of("enforce", "audit", "warn")) {
            assertThat(namespace.at("/metadata/labels/pod-security.kubernetes.io~1" + mode).asText()).as(mode)
                    .isEqualTo("restricted");
        }
        assertThat(one(kubernetes, "Ingress", "prowctl-relay").at("/spec/rules/0/http/paths/0/backend/service/name")
                .asText()).isEqualTo("prowctl-relay");
        assertThat(Manifests.ofKind(kubernetes, "Route")).isEmpty();
        assertThat(kubernetes).allSatisfy(o -> {
            if (!o.path("kind").asText().equals("Namespace")) {
                assertThat(o.at("/metadata/namespace").asText()).as(Manifests.name(o)).isEqualTo("prowctl");
            }
        });

        List<JsonNode> openshift = Manifests.render("openshift");
        JsonNode route = one(openshift, "Route", "prowctl-relay");
        assertThat(route.at("/spec/tls/termination").asText()).isEqualTo("edge");
        assertThat(route.at("/spec/tls/insecureEdgeTerminationPolicy").asText()).isEqualTo("Redirect");
        assertThat(route.at("/spec/to/name").asText()).isEqualTo("prowctl-relay");
        assertThat(Manifests.ofKind(openshift, "Ingress")).isEmpty();
        // an OpenShift project is made with `oc new-project`, which a project admin may do and creating a
        // Namespace object is not
        assertThat(Manifests.ofKind(openshift, "Namespace")).isEmpty();
    }

    /** The PrometheusRules carry exactly the groups of prometheus/rules/*.yml: one per file, equal as YAML. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void prometheusRulesEqualTheRuleFiles(String overlay) throws IOException {
        Map<String, JsonNode> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(Manifests.REPO.resolve("prometheus/rules"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                expected.put(file.getFileName().toString(), Manifests.YAML.readTree(file.toFile()).path("groups"));
            }
        }
        List<JsonNode> rules = Manifests.ofKind(Manifests.render(overlay), "PrometheusRule");
        assertThat(rules).hasSize(expected.size()).isNotEmpty();
        List<JsonNode> renderedGroups = rules.stream().map(r -> r.at("/spec/groups")).toList();
        assertThat(renderedGroups).containsExactlyInAnyOrderElementsOf(expected.values());
    }

    /** One ConfigMap per dashboards/**\/*.json, labelled for Grafana's sidecar, holding the file's exact text. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kubernetes", "openshift"})
    void dashboardConfigMapsEqualTheDashboards(String overlay) throws IOException {
        Map<String, String> expected = new TreeMap<>();
        Path dashboards = Manifests.REPO.resolve("dashboards");
        try (Stream<Path> files = Files.walk(dashboards)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                expected.put(dashboards.relativize(file).toString().replace('/', '-').replaceAll("[^-._a-zA-Z0-9]", "-"),
                        Files.readString(file));
            }
        }
        Map<String, String> rendered = new TreeMap<>();
        for (JsonNode map : Manifests.ofKind(Manifests.render(overlay), "ConfigMap")) {
            if (!map.at("/metadata/labels/grafana_dashboard").isMissingNode()) {
                assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
                assertThat(map.path("data").size()).as(Manifests.name(map)).isEqualTo(1);
                map.path("data").fields().forEachRemaining(e -> rendered.put(e.getKey(), e.getValue().asText()));
            }
        }
        assertThat(rendered).isNotEmpty().isEqualTo(expected);
    }
}
