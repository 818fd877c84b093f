package dev.prowctl.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.prowctl.cli.ExporterCommand;
import dev.prowctl.testing.TestEnv;
import picocli.CommandLine;

/** prometheus/: the configuration, rules and Alertmanager routing, checked by the real promtool and amtool. */
class PrometheusConfigTest {

    private static final Path DIR = TestEnv.repoDir().resolve("prometheus");
    private static final ObjectMapper YAML = new YAMLMapper();

    record Run(int exitCode, String output) {
    }

    static Run run(Path binary, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    static Path promtool() {
        return TestEnv.requireBinary("promtool", "prometheus");
    }

    private static List<String> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(DIR.resolve("tests"))) {
            return files.map(file -> "tests/" + file.getFileName()).filter(name -> name.endsWith(".yml")).sorted()
                    .toList();
        }
    }

    @Test
    void promtoolAcceptsTheConfigurationAndItsRuleFiles() throws Exception {
        Run run = run(promtool(), "check", "config", "prometheus.yml");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Run run = run(promtool(), "check", "rules", "rules/prowctl.yml");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: 9 rules found");
    }

    @Test
    void theRuleUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(testFiles());
        Run run = run(promtool(), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void theRuleUnitTestsCanFail() throws Exception {
        // guards the check above: the same tests with one wrong expectation are reported as failed
        Path wrong = DIR.resolve("tests").resolve("wrong-expectation.yml.tmp");
        try {
            Files.writeString(wrong, Files.readString(DIR.resolve("tests/prowctl_test.yml"))
                    .replace("value: 0.75", "value: 0.7"));
            Run run = run(promtool(), "test", "rules", DIR.relativize(wrong).toString());
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("FAILED").contains("job_name:prowctl_job_pass:ratio_increase1d");
        } finally {
            Files.deleteIfExists(wrong);
        }
    }

    @Test
    void everyRuleAndAlertIsTestedFiringAndNotFiring() throws IOException {
        List<String> tested = new ArrayList<>();
        List<String> fired = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (String file : testFiles()) {
            for (JsonNode test : YAML.readTree(DIR.resolve(file).toFile()).path("tests")) {
                test.path("promql_expr_test").forEach(expr -> {
                    tested.add(expr.path("expr").asText());
                    (expr.path("exp_samples").isEmpty() ? silent : fired).add(expr.path("expr").asText());
                });
                test.path("alert_rule_test").forEach(alert -> (alert.path("exp_alerts").isEmpty() ? silent : fired)
                        .add(alert.path("alertname").asText()));
            }
        }
        for (JsonNode group : YAML.readTree(DIR.resolve("rules/prowctl.yml").toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("record") ? rule.path("record").asText() : rule.path("alert").asText();
                if (rule.has("alert")) {
                    assertThat(fired).as("a test where %s fires", name).contains(name);
                    assertThat(silent).as("a test where %s does not fire", name).contains(name);
                    assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
                    assertThat(rule.path("annotations").path("description").asText()).isNotBlank();
                } else {
                    assertThat(fired).as("a test where %s has a value", name).anyMatch(expr -> expr.contains(name));
                    assertThat(name).as("level:metric:operations").matches("[a-z_]+:prowctl_[a-z_]+:[a-z0-9_]+");
                }
            }
        }
        assertThat(silent).as("a test where the rates have no value")
                .contains("job_name:prowctl_job_pass:ratio_increase1d", "job_name:prowctl_job_flake:ratio_increase1d",
                        "job_name:prowctl_job_pass:ratio_increase7d");
    }

    @Test
    void prometheusScrapesTheExporterOnItsDefaultPort() throws IOException {
        String listen = new CommandLine(new ExporterCommand()).getCommandSpec().findOption("--listen").defaultValue();
        Matcher port = Pattern.compile(":(\\d+)}?$").matcher(listen);
        assertThat(port.find()).as(listen).isTrue();

        JsonNode targets = YAML.readTree(DIR.resolve("prometheus.yml").toFile()).path("scrape_configs")
                .findValue("targets");
        assertThat(targets).as("prometheus.yml's scrape targets").isNotNull();
        assertThat(targets.get(0).asText()).isEqualTo("exporter:" + port.group(1));
    }

    @Test
    void alertmanagerRoutesToTheRelayWithABearerTokenFromAFile() throws Exception {
        Run run = run(TestEnv.requireBinary("amtool", "prometheus-alertmanager"), "check-config", "alertmanager.yml");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");

        JsonNode config = YAML.readTree(DIR.resolve("alertmanager.yml").toFile());
        assertThat(config.path("route").path("group_by").toString()).contains("\"job_name\"");
        JsonNode hook = config.path("receivers").get(0).path("webhook_configs").get(0);
        assertThat(hook.path("url").asText()).isEqualTo("http://relay:9095/hook");
        JsonNode authorization = hook.path("http_config").path("authorization");
        assertThat(authorization.path("type").asText()).isEqualTo("Bearer");
        assertThat(authorization.path("credentials_file").asText()).isNotBlank();
        assertThat(authorization.has("credentials")).as("no inline secret").isFalse();
    }
}
