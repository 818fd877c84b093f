package dev.prowctl.grafana.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.testing.TestEnv;

/** Starting fakes, seeding them like a team's Grafana, and checking that they saw only spec-conforming traffic. */
public final class Fakes {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Fakes() {
    }

    /** Grafana's published OpenAPI spec in ../shared, which the fake checks all traffic against (skip/fail rule). */
    public static Path spec() {
        return TestEnv.sharedFile("grafana-openapi/grafana-11.4.0-api-merged.swagger2.json");
    }

    public static FakeGrafana start(FakeGrafana.Line line) {
        try {
            return FakeGrafana.start(line, spec());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FakeGrafana start(FakeGrafana.Line line, String subPath, Duration latency) {
        try {
            return FakeGrafana.start(line, spec(), subPath, latency);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request the fake saw and every answer it gave conformed to Grafana's published spec. */
    public static void assertConforms(FakeGrafana fake) {
        assertThat(fake.violations()).as("requests/responses not matching Grafana's OpenAPI spec").isEmpty();
    }

    /**
     * Seeds what a team's Grafana holds: datasources (one with a secret), a nested folder tree, dashboards in the
     * root and in folders, and (9+) contact points, a policy tree, rules, templates and mute timings; (8.x) a
     * legacy notification channel.
     */
    public static void seedTeamGrafana(FakeGrafana fake, int dashboards) {
        fake.addDatasource("influx", "telegraf", "influxdb", "http://influxdb:8086")
                .put("database", "telegraf");
        ObjectNode mysql = fake.addDatasource("mariadb1", "mariadb", "mysql", "mariadb:3306");
        mysql.put("user", "rrcockpit");
        ((ObjectNode) mysql.get("secureJsonFields")).put("password", true);
        ((ObjectNode) mysql.get("jsonData")).put("timeInterval", "3m");
        fake.addFolder("ci", "CI", null);
        boolean nested = fake.line() != FakeGrafana.Line.V8_4;
        fake.addFolder("oadp", "OADP / Velero", nested ? "ci" : null);
        fake.addFolder("periodic", "Periodic jobs", nested ? "oadp" : null);
        fake.addFolder("team", "Team", null);
        String[] where = {"", "ci", "oadp", "periodic", "team"};
        for (int i = 0; i < dashboards; i++) {
            ObjectNode extra = F.objectNode();
            extra.set("tags", F.arrayNode().add("prow").add("job-" + (i % 7)));
            extra.put("refresh", "5m").put("iteration", 1700000000000L + i).put("ratio", 0.25 + i);
            extra.set("templating", F.objectNode().set("list", F.arrayNode()));
            fake.addDashboard("dash-" + i, "Dashboard " + i, where[i % where.length], extra);
        }
        if (fake.line() == FakeGrafana.Line.V8_4) {
            fake.addAlertNotification("irc-relay", "IRC relay", "webhook",
                    F.objectNode().put("url", "http://relay:8080/alerts").put("httpMethod", "POST"));
            return;
        }
        fake.addContactPoint("irc", "IRC relay", "webhook",
                F.objectNode().put("url", "http://relay:8080/alerts").put("httpMethod", "POST"));
        fake.addContactPoint("slack1", "Team Slack", "slack",
                F.objectNode().put("url", "https://hooks.slack.example/T000").put("recipient", "#ci"));
        ObjectNode tree = F.objectNode().put("receiver", "IRC relay");
        tree.set("group_by", F.arrayNode().add("alertname"));
        tree.set("routes", F.arrayNode().add(F.objectNode().put("receiver", "Team Slack")
                .set("object_matchers", F.arrayNode().add(F.arrayNode().add("team").add("=").add("oadp")))));
        fake.setPolicies(tree);
        fake.addRule("rule-failing", "OADP periodic failing", "oadp", "ci-health");
        fake.addRule("rule-flaky", "Flaky rate high", "ci", "ci-health");
        fake.addTemplate("irc.message", "{{ define \"irc.message\" }}{{ .CommonLabels.alertname }}{{ end }}");
        fake.addMuteTiming("weekends");
    }
}
