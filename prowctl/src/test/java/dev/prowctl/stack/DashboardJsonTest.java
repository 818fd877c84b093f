package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The dashboards are plain Grafana 11+ dashboard JSON that provisioning and `prowctl grafana import` accept. */
class DashboardJsonTest {

    static List<Path> dashboards() {
        return Dashboards.files();
    }

    private static JsonNode panel(String file, String title) {
        return Dashboards.panels(Dashboards.read(Dashboards.dir().resolve(file))).stream()
                .filter(p -> p.path("title").asText().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no panel " + title));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void isAPlainGrafana11DashboardWithAStableUid(Path file) {
        JsonNode dashboard = Dashboards.read(file);
        String name = file.getFileName().toString();
        assertThat(dashboard.has("dashboard")).as("not wrapped in an API envelope").isFalse();
        assertThat(dashboard.has("__inputs")).as("no export-for-sharing inputs").isFalse();
        assertThat(dashboard.has("id")).as("no numeric id: it belongs to one Grafana instance").isFalse();
        assertThat(dashboard.path("uid").asText()).isEqualTo("prowctl-" + name.substring("prow-".length(),
                name.length() - ".json".length()));
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(39, 41);
        assertThat(dashboard.path("title").asText()).startsWith("Prow: ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void hasJobRegexRepoAndTypeVariables(Path file) {
        JsonNode variables = Dashboards.read(file).at("/templating/list");
        List<String> names = new ArrayList<>();
        variables.forEach(v -> names.add(v.path("name").asText()));
        assertThat(names).contains("job", "repo", "type");
        variables.forEach(v -> {
            if (v.path("name").asText().equals("job")) {
                assertThat(v.path("type").asText()).isEqualTo("textbox");
            } else {
                assertThat(v.path("type").asText()).isEqualTo("query");
                assertThat(v.path("includeAll").asBoolean()).isTrue();
            }
        });
        // every panel query filters on all three
        Dashboards.panels(Dashboards.read(file)).forEach(panel -> panel.path("targets").forEach(target ->
                assertThat(target.path("query").asText()).as(panel.path("title").asText())
                        .contains("\"job_name\" =~ /${job:raw}/", "\"repo\" =~ /^$repo$/", "\"type\" =~ /^$type$/",
                                "$timeFilter")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void panelsHaveUniqueIdsAndFitTheGrid(Path file) {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
            assertThat(ids.add(panel.path("id").asInt())).as("duplicate panel id " + panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            panel.path("targets").forEach(target -> assertThat(target.path("rawQuery").asBoolean()).isTrue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void calculatedFieldsReferToFieldsTheQueriesReturn(Path file) {
        for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
            Set<String> fields = new HashSet<>();
            panel.path("targets").forEach(target -> {
                if (target.hasNonNull("alias")) {
                    fields.add(target.path("alias").asText());
                }
                java.util.regex.Matcher as = java.util.regex.Pattern.compile("AS \"([^\"]+)\"")
                        .matcher(target.path("query").asText());
                while (as.find()) {
                    fields.add(as.group(1));
                }
            });
            for (JsonNode transformation : panel.path("transformations")) {
                if (transformation.path("id").asText().equals("calculateField")) {
                    JsonNode binary = transformation.at("/options/binary");
                    assertThat(fields).as(file.getFileName() + " / " + panel.path("title").asText())
                            .contains(binary.path("left").asText(), binary.path("right").asText());
                    fields.add(transformation.at("/options/alias").asText());
                }
            }
        }
    }

    @Test
    void overviewLinksTheLatestRunOfEachJobToItsLog() {
        JsonNode latest = panel("prow-overview.json", "Latest run of each job");
        assertThat(latest.path("type").asText()).isEqualTo("table");
        assertThat(latest.at("/targets/0/query").asText()).contains("last(\"log\") AS \"log\"").contains("GROUP BY \"job_name\"");
        assertThat(latest.at("/fieldConfig/overrides").toString())
                .contains("\"url\":\"${__data.fields.log}\"").contains("\"url\":\"${__value.raw}\"");
        assertThat(panel("prow-overview.json", "Pass / fail / flake per OpenShift version").at("/targets/0/query").asText())
                .contains("GROUP BY \"variant\"");
        assertThat(panel("prow-overview.json", "Duration per job (minutes)").at("/targets/0/query").asText())
                .contains("mean(\"duration\")");
    }

    @Test
    void pullRequestsLinkToThePullRequestAndTheLog() {
        JsonNode table = panel("prow-pull-requests.json", "Latest result per pull request and job");
        assertThat(table.at("/targets/0/query").asText()).contains("GROUP BY \"repo\", \"pull_request\", \"job_name\"");
        assertThat(table.at("/fieldConfig/overrides").toString())
                .contains("\"url\":\"${__data.fields.pr_url}\"").contains("\"url\":\"${__data.fields.log}\"");
    }

    @Test
    void periodicsShowHistoryAndFlakeRate() {
        assertThat(panel("prow-periodics.json", "History per job").path("type").asText()).isEqualTo("state-timeline");
        assertThat(panel("prow-periodics.json", "Flake rate per job").at("/targets/0/query").asText())
                .contains("AS \"flake rate\"");
        JsonNode type = Dashboards.read(Dashboards.dir().resolve("prow-periodics.json")).at("/templating/list/2");
        assertThat(type.at("/current/value/0").asText()).isEqualTo("periodic");
    }
}
