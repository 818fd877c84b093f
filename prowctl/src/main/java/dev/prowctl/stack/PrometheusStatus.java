package dev.prowctl.stack;

import static dev.prowctl.stack.StatusProbe.printable;
import static dev.prowctl.stack.StatusProbe.reason;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Prometheus path of the stack (compose profile "prometheus", docs/prometheus.md), when it runs: each service's
 * container state, the exporter's {@code /readyz}, whether Prometheus scrapes the exporter and which alerts fire,
 * and Alertmanager's {@code /-/ready}. Every check that cannot be made says why instead of failing
 * {@code stack status}.
 */
public final class PrometheusStatus {

    static final String SCRAPE_JOB = "prowctl-exporter";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Stack stack;
    private final StatusProbe probe = new StatusProbe();

    public PrometheusStatus(Stack stack) {
        this.stack = stack;
    }

    /** Prints the block on {@code out} when the profile is on; nothing when it is off. */
    public void print(PrintWriter out, PrintWriter err) {
        StatusProbe.print(out, err, "Prometheus (docs/prometheus.md):", "Prometheus", this::lines);
    }

    List<String> lines() {
        StackSettings settings = stack.settings();
        if (!settings.prometheusProfile()) {
            return List.of();
        }
        String exporter = settings.hostUrl("exporter", 9096);
        String prometheus = settings.hostUrl("prometheus", 9090);
        String alertmanager = settings.hostUrl("alertmanager", 9093);
        List<String> lines = new ArrayList<>();
        lines.add("exporter:      " + stack.state("exporter") + "; " + exporter + "/readyz: "
                + answer(exporter + "/readyz"));
        lines.add("prometheus:    " + stack.state("prometheus") + "; " + target(prometheus));
        lines.add("alerts:        " + alerts(prometheus));
        lines.add("alertmanager:  " + stack.state("alertmanager") + "; " + alertmanager + "/-/ready: "
                + answer(alertmanager + "/-/ready"));
        return lines;
    }

    /** A status code and the first line of the body, e.g. {@code 200 ready: last successful scrape 12 s ago}. */
    private String answer(String url) {
        try {
            HttpResponse<String> response = probe.get(url);
            String first = response.body().strip().lines().findFirst().orElse("");
            return response.statusCode() + (first.isEmpty() ? "" : " " + printable(first));
        } catch (IOException e) {
            return "unreachable (" + reason(e) + ")";
        }
    }

    /** The health of Prometheus' scrape of the exporter, from /api/v1/targets. */
    private String target(String prometheus) {
        try {
            JsonNode targets = JSON.readTree(probe.get(prometheus + "/api/v1/targets?state=active").body())
                    .path("data").path("activeTargets");
            List<String> found = new ArrayList<>();
            for (JsonNode target : targets) {
                if (SCRAPE_JOB.equals(target.path("labels").path("job").asText())) {
                    String error = target.path("lastError").asText("");
                    found.add(printable(target.path("health").asText("unknown"))
                            + (error.isEmpty() ? "" : " (" + printable(error) + ")"));
                }
            }
            return "scrape of the exporter: " + (found.isEmpty() ? "no target of job " + SCRAPE_JOB
                    + " (prometheus/prometheus.yml not loaded?)" : String.join(", ", found));
        } catch (IOException e) {
            return "unreachable at " + prometheus + " (" + reason(e) + ")";
        }
    }

    /** The alerts Prometheus evaluates as firing or pending, by name, from /api/v1/alerts. */
    private String alerts(String prometheus) {
        try {
            JsonNode alerts = JSON.readTree(probe.get(prometheus + "/api/v1/alerts").body())
                    .path("data").path("alerts");
            Map<String, Integer> firing = new TreeMap<>();
            int pending = 0;
            for (JsonNode alert : alerts) {
                if (alert.path("state").asText().equals("firing")) {
                    firing.merge(printable(alert.path("labels").path("alertname").asText("?")), 1, Integer::sum);
                } else {
                    pending++;
                }
            }
            List<String> parts = new ArrayList<>();
            firing.forEach((name, count) -> parts.add(name + " x" + count));
            return (parts.isEmpty() ? "none firing" : "firing " + String.join(", ", parts))
                    + (pending > 0 ? "; " + pending + " pending" : "");
        } catch (IOException e) {
            return "unknown (" + reason(e) + ")";
        }
    }
}
