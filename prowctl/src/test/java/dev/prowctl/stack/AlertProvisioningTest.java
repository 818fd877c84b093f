package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.testing.TestEnv;

/**
 * grafana/provisioning/alerting/ against Grafana 12.2's file-provisioning format for alerting (the shape of its
 * alert-rule export): what Grafana checks when it loads the files, what Grafana's environment interpolation does to
 * them, and an import of their API form into the spec-checked fake Grafana, a second import writing nothing.
 */
class AlertProvisioningTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("contact-points.yaml", "policies.yaml", "rules.yaml",
            "templates.yaml");
    /** Grafana's duration syntax (model.ParseDuration / Prometheus): 30s, 5m, 1h30m, 0s. */
    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+|0");
    private static final Pattern UID = Pattern.compile("[a-zA-Z0-9_-]{1,40}");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\$|\\{(\\w+)}|(\\w+))");
    private static final Pattern MATH_REF = Pattern.compile("\\$(\\w+)");

    @TempDir
    Path tmp;

    @Test
    void everyFileIsVersionOneAndTheDirectoryHoldsNothingElse() throws IOException {
        try (Stream<Path> files = Files.list(AlertProvisioning.dir())) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).isEqualTo(FILES);
        }
        for (String file : FILES) {
            assertThat(AlertProvisioning.load(file).path("apiVersion").asInt()).as(file).isEqualTo(1);
        }
    }

    /** Grafana replaces an unknown $NAME with nothing: every variable must be one docker-compose.yml passes. */
    @Test
    void everyEnvironmentVariableIsOneTheGrafanaServiceGets() throws IOException {
        Set<String> passed = AlertProvisioning.composeDefaults().keySet();
        for (String file : FILES) {
            String raw = Files.readString(AlertProvisioning.dir().resolve(file));
            Matcher m = VARIABLE.matcher(raw.lines().filter(l -> !l.strip().startsWith("#"))
                    .reduce("", (a, b) -> a + b + "\n"));
            while (m.find()) {
                if (!m.group(1).equals("$")) {
                    String name = m.group(2) != null ? m.group(2) : m.group(3);
                    assertThat(passed).as(file + ": $" + name + " (write $$ for a literal $)").contains(name);
                }
            }
        }
        assertThat(AlertProvisioning.interpolate("a $$B $X ${X} $", Map.of("X", "1"))).isEqualTo("a $B 1 1 $");
    }

    @Test
    void rulesAreValidInTheirOwnFolderOnTheStacksDatasource() throws IOException {
        JsonNode datasources = AlertProvisioning.YAML.readTree(TestEnv.repoDir()
                .resolve("grafana/provisioning/datasources/influxdb.yaml").toFile());
        Set<String> datasourceUids = new HashSet<>();
        datasources.path("datasources").forEach(ds -> datasourceUids.add(ds.path("uid").asText()));
        String dashboardFolder = AlertProvisioning.YAML.readTree(TestEnv.repoDir()
                .resolve("grafana/provisioning/dashboards/prowctl.yaml").toFile()).at("/providers/0/folder").asText();

        JsonNode groups = AlertProvisioning.load("rules.yaml").path("groups");
        assertThat(groups).hasSize(1);
        JsonNode group = groups.get(0);
        assertThat(group.path("orgId").asInt()).isEqualTo(1);
        assertThat(group.path("name").asText()).isNotBlank();
        assertThat(group.path("folder").asText()).isNotBlank().isNotEqualTo(dashboardFolder);
        assertThat(group.path("interval").asText()).matches(DURATION);

        List<String> titles = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (JsonNode rule : group.path("rules")) {
            String title = rule.path("title").asText();
            titles.add(title);
            assertThat(rule.path("uid").asText()).as(title).matches(UID);
            assertThat(uids.add(rule.path("uid").asText())).as(title + " uid unique").isTrue();
            assertThat(rule.path("for").asText()).as(title).matches(DURATION);
            assertThat(rule.path("noDataState").asText()).as(title).isIn("Alerting", "NoData", "OK", "KeepLast");
            assertThat(rule.path("execErrState").asText()).as(title).isIn("Alerting", "Error", "OK", "KeepLast");
            assertThat(rule.path("annotations").path("summary").asText()).as(title).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(title).isNotBlank();
            Set<String> refIds = new HashSet<>();
            for (JsonNode query : rule.path("data")) {
                String refId = query.path("refId").asText();
                assertThat(refIds.add(refId)).as(title + " refId " + refId + " unique").isTrue();
                assertThat(query.at("/model/refId").asText()).as(title + " " + refId).isEqualTo(refId);
                String uid = query.path("datasourceUid").asText();
                if (uid.equals("__expr__")) {
                    String expression = query.at("/model/expression").asText();
                    Set<String> used = new HashSet<>();
                    if (query.at("/model/type").asText().equals("math")) {
                        MATH_REF.matcher(expression).results().forEach(r -> used.add(r.group(1)));
                    } else {
                        used.add(expression);
                    }
                    assertThat(refIds).as(title + " " + refId + " refers to earlier queries").containsAll(used);
                } else {
                    assertThat(datasourceUids).as(title + " " + refId + " datasource").contains(uid);
                    assertThat(query.at("/model/rawQuery").asBoolean()).isTrue();
                    assertThat(query.at("/model/query").asText()).as(title).contains("FROM \"build\"")
                            .contains("$timeFilter");
                    assertThat(query.at("/relativeTimeRange/from").asLong()).isGreaterThan(
                            query.at("/relativeTimeRange/to").asLong());
                }
            }
            assertThat(refIds).as(title + " condition").contains(rule.path("condition").asText());
        }
        assertThat(titles).containsExactly("ProwJobFailing", "ProwJobFlakeRateHigh", "ProwctlNoData");
    }

    @Test
    void theContactPointPostsToTheRelayWithTheTokenTheRelayReads() throws IOException {
        String raw = Files.readString(AlertProvisioning.dir().resolve("contact-points.yaml"));
        assertThat(raw).contains("authorization_credentials: ${PROWCTL_RELAY_AUTH_TOKEN}");
        String compose = Files.readString(TestEnv.repoDir().resolve("docker-compose.yml"));
        String relayService = compose.substring(compose.indexOf("\n  relay:"));
        assertThat(relayService).contains("PROWCTL_RELAY_AUTH_TOKEN: \"${PROWCTL_RELAY_AUTH_TOKEN:-}\"");

        Map<String, String> env = new LinkedHashMap<>(AlertProvisioning.composeDefaults());
        env.put("PROWCTL_RELAY_AUTH_TOKEN", "s3cret");
        JsonNode point = AlertProvisioning.load("contact-points.yaml", env).at("/contactPoints/0");
        JsonNode receiver = point.at("/receivers/0");
        assertThat(receiver.path("type").asText()).isEqualTo("webhook");
        assertThat(receiver.path("uid").asText()).matches(UID);
        JsonNode settings = receiver.path("settings");
        assertThat(settings.path("url").asText()).isEqualTo("http://relay:9095/hook");
        assertThat(settings.path("authorization_scheme").asText()).isEqualTo("Bearer");
        assertThat(settings.path("authorization_credentials").asText()).isEqualTo("s3cret");

        String templates = AlertProvisioning.load("templates.yaml").at("/templates/0/template").asText();
        for (String field : List.of("title", "message")) {
            Matcher used = Pattern.compile("template \"([\\w.]+)\"").matcher(settings.path(field).asText());
            assertThat(used.find()).as(field).isTrue();
            assertThat(templates).contains("{{ define \"" + used.group(1) + "\" }}");
        }
    }

    /** Off by default: Grafana's own contact point; the relay's once PROWCTL_ALERT_RECEIVER names it. */
    @Test
    void thePolicyGroupsByJobAndRoutesToTheRelayOnlyWhenAskedTo() {
        JsonNode policy = AlertProvisioning.load("policies.yaml").at("/policies/0");
        assertThat(policy.path("receiver").asText()).isEqualTo("grafana-default-email");
        assertThat(policy.path("group_by").toString()).contains("\"job_name\"").contains("\"alertname\"");
        for (String field : List.of("group_wait", "group_interval", "repeat_interval")) {
            assertThat(policy.path(field).asText()).as(field).matches(DURATION);
        }
        Map<String, String> env = new LinkedHashMap<>(AlertProvisioning.composeDefaults());
        env.put("PROWCTL_ALERT_RECEIVER", "prowctl-relay");
        assertThat(AlertProvisioning.load("policies.yaml", env).at("/policies/0/receiver").asText())
                .isEqualTo(AlertProvisioning.load("contact-points.yaml").at("/contactPoints/0/name").asText());
    }

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(value = FakeGrafana.Line.class, names = {"V11_6", "V12", "V13"}, mode = EnumSource.Mode.INCLUDE)
    void importsIntoGrafanaThenReimportWritesNothing(FakeGrafana.Line line) throws IOException {
        Path dir = apiForm(Map.of("PROWCTL_ALERT_RECEIVER", "prowctl-relay"));
        try (FakeGrafana fake = Fakes.start(line)) {
            CliRun first = grafanaImport(fake, dir);
            assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
            assertThat(fake.rules().keySet()).containsExactlyInAnyOrder("prowctl-job-failing",
                    "prowctl-job-flake-rate", "prowctl-no-data");
            assertThat(fake.contactPoints()).containsKey("prowctl-relay");
            assertThat(fake.templates()).containsKey("prowctl");
            assertThat(fake.policies().path("receiver").asText()).isEqualTo("prowctl-relay");
            int writes = fake.writes().size();
            CliRun second = grafanaImport(fake, dir);
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
            assertThat(fake.writes()).hasSize(writes);
            Fakes.assertConforms(fake);
        }
    }

    /**
     * The provisioning files as `prowctl grafana import` reads Grafana's API form: rules carry their folder's uid
     * and group, contact points are one per receiver.
     */
    private Path apiForm(Map<String, String> overrides) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(AlertProvisioning.composeDefaults());
        env.putAll(overrides);
        Path dir = tmp.resolve("export");
        JsonNode group = AlertProvisioning.load("rules.yaml", env).at("/groups/0");
        write(dir.resolve("folders/prowctl-alerts.json"), JSON.createObjectNode().put("uid", "prowctl-alerts")
                .put("title", group.path("folder").asText()));
        for (JsonNode rule : group.path("rules")) {
            ObjectNode body = ((ObjectNode) rule.deepCopy()).put("folderUID", "prowctl-alerts")
                    .put("ruleGroup", group.path("name").asText()).put("orgID", 1);
            write(dir.resolve("alerting/rules/" + rule.path("uid").asText() + ".json"), body);
        }
        for (JsonNode point : AlertProvisioning.load("contact-points.yaml", env).path("contactPoints")) {
            for (JsonNode receiver : point.path("receivers")) {
                ObjectNode body = ((ObjectNode) receiver.deepCopy()).put("name", point.path("name").asText());
                write(dir.resolve("alerting/contact-points/" + receiver.path("uid").asText() + ".json"), body);
            }
        }
        for (JsonNode template : AlertProvisioning.load("templates.yaml", env).path("templates")) {
            write(dir.resolve("alerting/templates/" + template.path("name").asText() + ".json"),
                    JSON.createObjectNode().put("name", template.path("name").asText())
                            .put("template", template.path("template").asText()));
        }
        ObjectNode policy = (ObjectNode) AlertProvisioning.load("policies.yaml", env).at("/policies/0").deepCopy();
        policy.remove("orgId");
        write(dir.resolve("alerting/policies.json"), policy);
        return dir;
    }

    private static void write(Path file, JsonNode body) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), body);
    }

    private static CliRun grafanaImport(FakeGrafana fake, Path dir) {
        return CliRun.of("grafana", "import", "--dir", dir.toString(), "--url", fake.url().toString(),
                "--token", FakeGrafana.ADMIN_TOKEN);
    }
}
