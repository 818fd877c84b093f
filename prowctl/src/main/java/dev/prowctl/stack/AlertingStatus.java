package dev.prowctl.stack;

import static dev.prowctl.stack.StatusProbe.printable;
import static dev.prowctl.stack.StatusProbe.reason;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.http.Redaction;

/**
 * Whether the stack's alerts reach the relay (docs/alerts.md): where Grafana's notification policy sends them
 * ({@code PROWCTL_ALERT_RECEIVER} of the grafana service), whether the relay runs, whether Grafana holds the
 * provisioned {@value #CONTACT_POINT} contact point, and what the relay's {@code /healthz} says of its outputs.
 * Every check that cannot be made says why instead of failing {@code stack status}.
 */
public final class AlertingStatus {

    static final String CONTACT_POINT = "prowctl-relay";
    static final String RELAY = "relay";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Stack stack;
    private final StatusProbe probe = new StatusProbe();

    public AlertingStatus(Stack stack) {
        this.stack = stack;
    }

    /** Prints the alerting block on {@code out}, after compose ps. */
    public void print(PrintWriter out, PrintWriter err) {
        StatusProbe.print(out, err, "Alerting (docs/alerts.md):", "alerting", this::lines);
    }

    List<String> lines() {
        StackSettings settings = stack.settings();
        ComposeConfig config = settings.config();
        String receiver = config.environment(StackSettings.GRAFANA, "PROWCTL_ALERT_RECEIVER")
                .orElse("grafana-default-email");
        String relayState = stack.state(RELAY);
        boolean relayUp = relayState.equals("running") || relayState.equals("healthy");
        String contactPoint = contactPoint(settings, config);
        List<String> lines = new ArrayList<>();
        lines.add("alerts go to:  " + printable(receiver) + (receiver.equals(CONTACT_POINT) ? " (the relay)"
                : " (not the relay; PROWCTL_ALERT_RECEIVER=" + CONTACT_POINT + " sends them there)"));
        lines.add("relay:         " + relayState + (relayUp ? "" : " (COMPOSE_PROFILES=relay starts it)"));
        lines.add("contact point: " + contactPoint);
        lines.add("relay health:  " + (relayUp ? relayHealth(config) : "-"));
        boolean wired = relayUp && receiver.equals(CONTACT_POINT) && contactPoint.startsWith("present");
        lines.add("wired:         " + (wired ? "yes" : "no"));
        return lines;
    }

    /** Asks Grafana (admin credentials of the compose configuration) for the provisioned contact point. */
    private String contactPoint(StackSettings settings, ComposeConfig config) {
        if (config.environment(StackSettings.GRAFANA, "GF_SECURITY_ADMIN_PASSWORD__FILE").isPresent()) {
            return "unknown (the admin password is in a file prowctl does not read)";
        }
        String user = config.environment(StackSettings.GRAFANA, "GF_SECURITY_ADMIN_USER").orElse("admin");
        String password = config.environment(StackSettings.GRAFANA, "GF_SECURITY_ADMIN_PASSWORD").orElse("admin");
        String url = settings.grafanaUrl() + "/api/v1/provisioning/contact-points?name="
                + URLEncoder.encode(CONTACT_POINT, StandardCharsets.UTF_8);
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = probe.get(url, "Basic " + basic);
            if (response.statusCode() != 200) {
                return "unknown (Grafana answered " + response.statusCode() + ")";
            }
            JsonNode list = JSON.readTree(response.body());
            for (JsonNode point : list) {
                if (CONTACT_POINT.equals(point.path("name").asText())) {
                    return "present in Grafana (" + printable(point.path("type").asText()) + " to "
                            + printable(Redaction.url(point.path("settings").path("url").asText())) + ")";
                }
            }
            return "missing in Grafana (grafana/provisioning/alerting/contact-points.yaml not loaded)";
        } catch (IOException e) {
            return "unknown (Grafana at " + settings.grafanaUrl() + " did not answer: " + reason(e) + ")";
        }
    }

    /** The relay's /healthz: overall status and, per output, usable or why not, queued and any last-delivery fields. */
    private String relayHealth(ComposeConfig config) {
        List<ComposeConfig.Published> ports = config.published(RELAY);
        String base = "http://127.0.0.1:9095";
        if (!ports.isEmpty() && !ports.get(0).port().isEmpty()) {
            String ip = ports.get(0).hostIp();
            String host = ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::") ? "127.0.0.1"
                    : ip.contains(":") ? "[" + ip + "]" : ip;
            base = "http://" + host + ":" + ports.get(0).port();
        }
        try {
            HttpResponse<String> response = probe.get(base + "/healthz", null);
            JsonNode health = JSON.readTree(response.body());
            StringBuilder text = new StringBuilder(printable(health.path("status").asText("HTTP "
                    + response.statusCode())));
            for (Iterator<Map.Entry<String, JsonNode>> it = health.path("outputs").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> output = it.next();
                text.append("; ").append(printable(output.getKey())).append(": ").append(describe(output.getValue()));
            }
            return text.toString();
        } catch (IOException e) {
            return "unreachable at " + base + "/healthz (" + reason(e) + ")";
        }
    }

    private static String describe(JsonNode output) {
        List<String> parts = new ArrayList<>();
        parts.add(output.path("usable").asBoolean() ? "usable" : "not usable");
        if (output.hasNonNull("reason")) {
            parts.add(printable(output.path("reason").asText()));
        }
        parts.add(output.path("queued").asInt() + " queued");
        // the last delivery's result, when the relay reports one (fields named last...)
        for (Iterator<Map.Entry<String, JsonNode>> it = output.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("last")) {
                parts.add(printable(field.getKey()) + " " + printable(field.getValue().isValueNode()
                        ? field.getValue().asText() : field.getValue().toString()));
            }
        }
        return String.join(", ", parts);
    }
}
