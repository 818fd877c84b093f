package dev.prowctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.testing.TestEnv;

/**
 * kustomize reads no file outside its root, so deploy/kubernetes/generate.sh copies prometheus/rules and
 * dashboards into the tree; these copies must never drift from their source.
 */
class OneSourceTest {

    private static Manifests.Run generate(Path repo, String... args) {
        Path bash = TestEnv.requireBinary("bash", "bash");
        List<String> command = new java.util.ArrayList<>(List.of(bash.toString(),
                repo.resolve("deploy/kubernetes/generate.sh").toString()));
        command.addAll(List.of(args));
        return Manifests.run(command, repo, null, Map.of());
    }

    /** A copy of what generate.sh reads and writes, to change without touching the checkout. */
    private static Path copyOfTheSources(Path dir) throws IOException {
        for (String part : List.of("deploy/kubernetes", "prometheus/rules", "dashboards")) {
            Path from = Manifests.REPO.resolve(part);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path to = dir.resolve(part).resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to);
                    }
                }
            }
        }
        return dir;
    }

    @Test
    void theCommittedCopiesAreWhatTheGeneratorWrites() {
        Manifests.Run run = generate(Manifests.REPO, "--check");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void anEditedDashboardOrRuleFileIsReportedUntilRegenerated(@TempDir Path dir) throws IOException {
        Path repo = copyOfTheSources(dir);
        Path dashboard = repo.resolve("dashboards/prow-overview.json");
        Files.writeString(dashboard, Files.readString(dashboard).replaceFirst("\"title\"", "\"title\" "));
        Path rules = repo.resolve("prometheus/rules/prowctl.yml");
        Files.writeString(rules, Files.readString(rules).replace(">= 3", ">= 4"));

        Manifests.Run check = generate(repo, "--check");
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.err()).contains("prow-overview.json").contains("prowctl.yaml").contains("run deploy/kubernetes/generate.sh");

        assertThat(generate(repo).exitCode()).isZero();
        assertThat(generate(repo, "--check").exitCode()).isZero();
        assertThat(Files.readString(repo.resolve("deploy/kubernetes/components/prometheus/rules/prowctl.yaml")))
                .contains(">= 4");
    }

    /** Dashboards in a subfolder (dashboards/prometheus/) get their own ConfigMap, named after the path. */
    @Test
    void dashboardsInSubfoldersAreCovered(@TempDir Path dir) throws IOException {
        Path repo = copyOfTheSources(dir);
        Files.createDirectories(repo.resolve("dashboards/prometheus"));
        Files.writeString(repo.resolve("dashboards/prometheus/Prow Exporter.json"), "{\"title\": \"exporter\"}\n");
        assertThat(generate(repo).exitCode()).isZero();

        List<JsonNode> objects = Manifests.parse(Manifests.renderText(repo.resolve("deploy/kubernetes/overlays/kubernetes")));
        JsonNode map = objects.stream()
                .filter(o -> Manifests.name(o).equals("ConfigMap/prowctl-dashboard-prometheus-prow-exporter"))
                .findFirst().orElseThrow();
        assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(map.at("/data/prometheus-Prow-Exporter.json").asText()).isEqualTo("{\"title\": \"exporter\"}\n");
    }
}
