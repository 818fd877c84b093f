package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.testing.IrcTestClient;
import dev.prowctl.testing.NgircdServer;
import dev.prowctl.testing.TestEnv;

/**
 * The stack's own alerts (grafana/provisioning/alerting) end to end: the body Grafana 12's webhook contact point
 * posts (its documented shape, with the title and summaries rendered from the provisioned templates and the
 * grafana service's default thresholds) → the relay, with the contact point's bearer token → a real ngIRCd → the
 * exact line in the channel: rule, job, state, flake rate and the job's runs link.
 */
class StackAlertsToIrcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "relay-token-from-env";
    private static final String JOB = "periodic-ci-openshift-oadp-operator-master-4.15-e2e-test-aws-periodic";
    private static final Path ALERTING = TestEnv.repoDir().resolve("grafana/provisioning/alerting");

    private NgircdServer ircd;
    private IrcTestClient watcher;
    private RelayHarness harness;

    @BeforeEach
    void start() throws Exception {
        ircd = NgircdServer.start();
        watcher = new IrcTestClient(ircd.port(), "watcher", "#alerts");
        IrcOutput.Settings settings = new IrcOutput.Settings(
                IrcTarget.parse("irc://127.0.0.1:" + ircd.port() + "/#alerts"), "prowbot", null, 3, 8, null);
        WebhookAuth auth = new WebhookAuth(TOKEN, null, null, null, Duration.ofMinutes(5),
                java.time.Clock.systemUTC());
        harness = new RelayHarness(log -> List.of(new IrcOutput(settings, new IrcBot(null), log,
                FakeClock.advancingOnSleep())), auth, 100);
        harness.awaitLog(log -> log.contains("joined #alerts"), 10);
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (ircd != null) {
            ircd.close();
        }
    }

    @Test
    void aFailingJobAndAFlakyJobReachTheChannelAndTheFailureResolves() throws Exception {
        Map<String, String> labels = Map.of("job_name", JOB);
        String failing = summary("ProwJobFailing", labels, Map.of());
        String flaky = summary("ProwJobFlakeRateHigh", labels, Map.of("R", 2.0 / 6, "D", 6.0));
        String runs = "https://prow.ci.openshift.org/job-history/gs/test-platform-results/logs/" + JOB;
        assertThat(failing).isEqualTo("newest 3 runs failed (flakes not counted); runs: " + runs);
        assertThat(flaky).isEqualTo("flake rate 33.33% over 24 h (6 runs); runs: " + runs);

        post(body("ProwJobFailing", "prowctl-job-failing", "firing", failing));
        post(body("ProwJobFlakeRateHigh", "prowctl-job-flake-rate", "firing", flaky));
        post(body("ProwJobFailing", "prowctl-job-failing", "resolved", failing));

        String view = "http://localhost:3000/alerting/grafana/%s/view?orgId=1";
        assertThat(watcher.awaitCount(3, 15)).containsExactly(
                "[FIRING:1] ProwJobFailing " + JOB + " - " + failing + " " + view.formatted("prowctl-job-failing"),
                "[FIRING:1] ProwJobFlakeRateHigh " + JOB + " - " + flaky + " "
                        + view.formatted("prowctl-job-flake-rate"),
                "[RESOLVED:1] ProwJobFailing " + JOB + " - " + failing + " "
                        + view.formatted("prowctl-job-failing"));
    }

    private void post(String body) throws Exception {
        var response = harness.post("/hook", body, "Authorization", "Bearer " + TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Grafana 12's webhook body for one alert of a group keyed by rule and job. */
    private static String body(String rule, String uid, String status, String summary) throws Exception {
        ObjectNode labels = JSON.createObjectNode().put("alertname", rule).put("grafana_folder", "Prow alerts")
                .put("job_name", JOB).put("severity", "warning");
        ObjectNode annotations = JSON.createObjectNode().put("summary", summary).put("description", "runbook");
        String generator = "http://localhost:3000/alerting/grafana/" + uid + "/view?orgId=1";
        ObjectNode alert = JSON.createObjectNode().put("status", status);
        alert.set("labels", labels);
        alert.set("annotations", annotations);
        alert.put("startsAt", "2026-12-01T03:00:00Z")
                .put("endsAt", status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-12-01T04:00:00Z")
                .put("generatorURL", generator).put("fingerprint", "57c6d9296de2ad39")
                .put("silenceURL", "http://localhost:3000/alerting/silence/new?alertmanager=grafana")
                .put("dashboardURL", "").put("panelURL", "").put("valueString", "[ var='B' value=3 ]");
        alert.set("values", JSON.createObjectNode().put("B", 3).put("C", 1));
        ObjectNode group = JSON.createObjectNode().put("alertname", rule).put("grafana_folder", "Prow alerts")
                .put("job_name", JOB);
        ObjectNode root = JSON.createObjectNode().put("receiver", "prowctl-relay").put("status", status)
                .put("orgId", 1);
        root.set("alerts", JSON.createArrayNode().add(alert));
        root.set("groupLabels", group);
        root.set("commonLabels", labels);
        root.set("commonAnnotations", annotations);
        root.put("externalURL", "http://localhost:3000/").put("version", "1")
                .put("groupKey", "{}:{alertname=\"" + rule + "\", job_name=\"" + JOB + "\"}")
                .put("truncatedAlerts", 0)
                .put("title", title(Map.of("alertname", rule, "job_name", JOB)))
                .put("state", status.equals("firing") ? "alerting" : "ok")
                .put("message", status.toUpperCase(java.util.Locale.ROOT) + ": " + rule + " " + JOB + " - " + summary);
        return JSON.writeValueAsString(root);
    }

    /** The "prowctl.title" template of templates.yaml, rendered for a group's common labels. */
    private static String title(Map<String, String> commonLabels) throws Exception {
        String templates = Files.readString(ALERTING.resolve("templates.yaml"));
        Matcher define = Pattern.compile("\\{\\{ define \"prowctl.title\" }}(.*?)\\{\\{ end }}\\n").matcher(templates);
        assertThat(define.find()).as("prowctl.title in templates.yaml").isTrue();
        String text = define.group(1);
        Matcher with = Pattern.compile("\\{\\{ with \\.CommonLabels\\.(\\w+) }}(.*?)\\{\\{ \\. }}\\{\\{ end }}")
                .matcher(text);
        StringBuilder out = new StringBuilder();
        while (with.find()) {
            String value = commonLabels.getOrDefault(with.group(1), "");
            with.appendReplacement(out, Matcher.quoteReplacement(value.isEmpty() ? "" : with.group(2) + value));
        }
        with.appendTail(out);
        return render(out.toString(), Map.of(), commonLabels, Map.of());
    }

    /** A rule's summary annotation of rules.yaml, as Grafana loads it (defaults of docker-compose.yml) and fills it. */
    private static String summary(String rule, Map<String, String> labels, Map<String, Double> values)
            throws Exception {
        String rules = Files.readString(ALERTING.resolve("rules.yaml"));
        String after = rules.substring(rules.indexOf("title: " + rule + "\n"));
        Matcher folded = Pattern.compile("\\n( +)summary: >-\\n((?:\\1  .*\\n)+)").matcher(after);
        assertThat(folded.find()).as(rule + " summary").isTrue();
        String text = String.join(" ", folded.group(2).lines().map(String::strip).toList());
        return render(text, composeDefaults(), labels, values);
    }

    /** The template actions the stack's texts use, and Grafana's ${VAR} interpolation of provisioning files. */
    private static String render(String text, Map<String, String> env, Map<String, String> labels,
            Map<String, Double> values) {
        for (var e : env.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        for (var e : labels.entrySet()) {
            text = text.replace("{{ index .Labels \"" + e.getKey() + "\" }}", e.getValue())
                    .replace("{{ .CommonLabels." + e.getKey() + " }}", e.getValue());
        }
        for (var e : values.entrySet()) {
            text = text.replace("{{ humanizePercentage (index .Values \"" + e.getKey() + "\").Value }}",
                    humanize(e.getValue() * 100) + "%")
                    .replace("{{ (index .Values \"" + e.getKey() + "\").Value }}", goFloat(e.getValue()));
        }
        assertThat(text).as("template actions or variables left").doesNotContain("{{").doesNotContain("$");
        return text;
    }

    /** Prometheus' humanize for 1 <= v < 1000: %.4g. */
    private static String humanize(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Go's fmt of a float64 in a template (%v): 6 prints "6". */
    private static String goFloat(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static Map<String, String> composeDefaults() throws Exception {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("(PROWCTL_\\w+): \"\\$\\{\\1:-([^}]*)}\"")
                .matcher(Files.readString(TestEnv.repoDir().resolve("docker-compose.yml")));
        while (m.find()) {
            env.put(m.group(1), m.group(2));
        }
        return env;
    }
}
