package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.prowctl.testing.TestEnv;

/**
 * dashboards/prometheus: plain Grafana 11+ dashboards on the provisioned Prometheus datasource, whose every query
 * honours the dashboard's variables. (What the queries answer: {@link PrometheusDashboardQueriesTest}.)
 */
class PrometheusDashboardJsonTest {

    private static final Path REPO = TestEnv.repoDir();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A selector of one of the job families: {@code prowctl_job_...{...}}. */
    private static final Pattern JOB_SELECTOR = Pattern.compile("prowctl_job_[a-z_]+\\{([^}]*)}");

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(REPO.resolve("dashboards/prometheus"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static String datasourceUid() throws IOException {
        JsonNode datasource = new YAMLMapper().readTree(REPO.resolve("grafana/provisioning/datasources/prometheus.yaml")
                .toFile()).at("/datasources/0");
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(datasource.path("isDefault").asBoolean()).as("the InfluxDB datasource stays the default").isFalse();
        assertThat(datasource.at("/jsonData/timeInterval").asText()).isEqualTo("5m");
        return datasource.path("uid").asText();
    }

    @Test
    void threeDashboardsNextToTheInfluxDbOnes() throws IOException {
        assertThat(dashboards()).extracting(p -> p.getFileName().toString())
                .containsExactly("prow-overview.json", "prow-periodics.json", "prow-pull-requests.json");
        // the InfluxDB dashboards' tests read dashboards/*.json only: these are not mixed into them
        assertThat(Dashboards.files()).allSatisfy(f -> assertThat(f.getParent().getFileName().toString())
                .isEqualTo("dashboards"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void isAPlainDashboardOnTheProvisionedPrometheusDatasource(Path file) throws IOException {
        JsonNode dashboard = read(file);
        String name = file.getFileName().toString();
        assertThat(dashboard.has("id")).isFalse();
        assertThat(dashboard.has("__inputs")).isFalse();
        assertThat(dashboard.path("uid").asText()).isEqualTo("prowctl-prom-" + name.substring("prow-".length(),
                name.length() - ".json".length()));
        assertThat(dashboard.path("title").asText()).startsWith("Prow (Prometheus): ");
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(39, 41);
        String uid = datasourceUid();
        List<JsonNode> datasources = new ArrayList<>(dashboard.findValues("datasource"));
        datasources.removeIf(ds -> ds.path("type").asText().equals("grafana"));
        assertThat(datasources).isNotEmpty().allSatisfy(ds -> {
            assertThat(ds.path("type").asText()).isEqualTo("prometheus");
            assertThat(ds.path("uid").asText()).isEqualTo(uid);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void panelsHaveUniqueIdsFitTheGridAndQueryPromql(Path file) throws IOException {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : read(file).path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("duplicate panel id " + panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            Set<String> refIds = new HashSet<>();
            panel.path("targets").forEach(target -> {
                assertThat(refIds.add(target.path("refId").asText())).isTrue();
                assertThat(target.path("expr").asText()).isNotBlank();
                assertThat(target.path("instant").asBoolean()).as("instant xor range")
                        .isNotEqualTo(target.path("range").asBoolean());
            });
        }
    }

    /** Every job-family selector filters on the text box $job; those with repository labels on $repo too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyJobQueryHonoursTheVariables(Path file) throws IOException {
        JsonNode dashboard = read(file);
        List<String> names = new ArrayList<>();
        dashboard.at("/templating/list").forEach(v -> {
            names.add(v.path("name").asText());
            if (v.path("name").asText().equals("job")) {
                assertThat(v.path("type").asText()).isEqualTo("textbox");
            } else {
                assertThat(v.path("type").asText()).isEqualTo("query");
                assertThat(v.path("multi").asBoolean()).isTrue();
                assertThat(v.path("includeAll").asBoolean()).isTrue();
                // All must keep the runs without that label (periodics without a repository): a regex, not a list
                assertThat(v.path("allValue").asText()).isNotEmpty();
                assertThat(v.at("/query/query").asText()).startsWith("label_values(prowctl_job_runs_total{");
            }
        });
        assertThat(names).contains("job", "repo");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher selector = JOB_SELECTOR.matcher(target.path("expr").asText());
                while (selector.find()) {
                    assertThat(selector.group(1)).as(panel.path("title").asText()).contains("job_name=~\"$job\"");
                    if (selector.group().startsWith("prowctl_job_runs_total")
                            || selector.group().startsWith("prowctl_job_run_duration")) {
                        assertThat(selector.group(1)).as(panel.path("title").asText()).contains("repo=~\"$repo\"");
                    }
                }
            }
        }
    }

    /** The rules the dashboards read are the ones prometheus/rules records. */
    @Test
    void theRecordedSeriesTheDashboardsReadExist() throws IOException {
        String rules = Files.readString(REPO.resolve("prometheus/rules/prowctl.yml"));
        Pattern recorded = Pattern.compile("job_name[a-z_]*:prowctl_[a-z_]+:[a-z0-9_]+");
        int found = 0;
        for (Path file : dashboards()) {
            Matcher m = recorded.matcher(Files.readString(file));
            while (m.find()) {
                assertThat(rules).contains("record: " + m.group());
                found++;
            }
        }
        assertThat(found).isPositive();
    }
}
