package dev.prowctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** What docs/deploy.md tells a user to write works: its overlay, one pipeline alone, its Grafana datasource. */
class DeployDocsTest {

    private static String docs() throws IOException {
        return Files.readString(Manifests.REPO.resolve("docs/deploy.md"));
    }

    /** The fenced YAML block that follows {@code marker} in docs/deploy.md. */
    private static String yamlAfter(String marker) throws IOException {
        String docs = docs();
        int at = docs.indexOf(marker);
        assertThat(at).as(marker).isNotNegative();
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertThat(block.find(at)).as("a yaml block after " + marker).isTrue();
        // a block inside a list item is indented as a whole: take the indent off
        String text = block.group(1);
        int indent = text.lines().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return text.replaceAll("(?m)^ {" + indent + "}", "");
    }

    /** A copy of deploy/kubernetes (kustomize reads nothing outside it), to add overlays to. */
    private static Path copyOfTheTree(Path dir) throws IOException {
        Path from = Manifests.KUSTOMIZE;
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = dir.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        return dir;
    }

    @Test
    void theOverlayOfYourOwnRendersWithYourValues(@TempDir Path dir) throws IOException {
        Path tree = copyOfTheTree(dir);
        Files.createDirectories(tree.resolve("overlays/mine"));
        Files.writeString(tree.resolve("overlays/mine/kustomization.yaml"),
                yamlAfter("`deploy/kubernetes/overlays/mine/kustomization.yaml`:"));

        List<JsonNode> objects = Manifests.parse(Manifests.renderText(tree.resolve("overlays/mine")));

        for (JsonNode workload : Manifests.ofKind(objects, "Deployment")) {
            assertThat(workload.at("/spec/template/spec/containers/0/image").asText())
                    .isEqualTo("quay.io/my-team/prowctl:" + Manifests.projectVersion());
        }
        JsonNode settings = objects.stream().filter(o -> o.at("/metadata/name").asText().startsWith("prowctl-settings"))
                .findFirst().orElseThrow();
        assertThat(settings.at("/data/DECK_URL").asText()).isEqualTo("https://prow.ci.openshift.org/?job=*my-operator*");
        assertThat(settings.at("/data/INFLUX_DB").asText()).as("merged, not replaced").isEqualTo("prow");
        for (String kind : List.of("ServiceMonitor", "PrometheusRule")) {
            assertThat(Manifests.ofKind(objects, kind)).isNotEmpty().allSatisfy(o ->
                    assertThat(o.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack"));
        }
    }

    @Test
    void onePipelineAloneRenders(@TempDir Path dir) throws IOException {
        Path tree = copyOfTheTree(dir);
        Path mine = tree.resolve("overlays/mine");
        Files.createDirectories(mine);
        try (Stream<Path> files = Files.list(tree.resolve("overlays/kubernetes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, mine.resolve(file.getFileName()));
            }
        }
        Path kustomization = mine.resolve("kustomization.yaml");
        String text = Files.readString(kustomization);
        for (String line : List.of("  - ingress.yaml\n", "  - ../../components/prometheus\n",
                "  - ../../components/relay\n")) {
            assertThat(text).contains(line);
            text = text.replace(line, "");
        }
        Files.writeString(kustomization, text);

        List<JsonNode> objects = Manifests.parse(Manifests.renderText(mine));

        assertThat(objects).extracting(o -> o.path("kind").asText()).doesNotContain("Deployment", "Ingress",
                "ServiceMonitor", "PrometheusRule").contains("CronJob", "PersistentVolumeClaim", "Namespace");
        Manifests.Run run = Manifests.validate(objects);
        assertThat(run.exitCode()).as(run.out()).isZero();
    }

    @Test
    void theDatasourceExampleIsTheUidTheDashboardsUse() throws IOException {
        String yaml = yamlAfter("as a ConfigMap labelled `grafana_datasource: \"1\"`:");
        List<JsonNode> objects = Manifests.parse(yaml);
        assertThat(objects).hasSize(1);
        Manifests.Run run = Manifests.validate(objects);
        assertThat(run.exitCode()).as(run.out()).isZero();
        JsonNode map = objects.get(0);
        assertThat(map.at("/metadata/labels/grafana_datasource").asText()).isEqualTo("1");
        JsonNode provisioning = Manifests.YAML.readTree(map.at("/data/prowctl-influxdb.yaml").asText());
        JsonNode stack = Manifests.YAML.readTree(
                Manifests.REPO.resolve("grafana/provisioning/datasources/influxdb.yaml").toFile());
        for (String field : List.of("uid", "type")) {
            assertThat(provisioning.at("/datasources/0/" + field)).as(field).isEqualTo(stack.at("/datasources/0/" + field));
        }
        assertThat(provisioning.at("/datasources/0/jsonData/dbName")).isEqualTo(stack.at("/datasources/0/jsonData/dbName"));
    }
}
