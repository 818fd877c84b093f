package dev.prowctl.relay;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.grafana.Json;

/**
 * Turns a webhook body into the chat lines to relay, one per alert group. Reads the three dialects senders use:
 * Prometheus Alertmanager (webhook version 4), Grafana unified alerting (the same shape plus {@code title},
 * {@code orgId} and per-alert links) and legacy Grafana dashboard alerts (one rule per POST).
 */
public final class WebhookParser {

    /** Alertmanager and Grafana send this {@code endsAt} while an alert fires. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** Grafana's default title already starts with the count ("[FIRING:2] ..."): we add our own. */
    private static final Pattern TITLE_STATUS = Pattern.compile("^\\[(FIRING|RESOLVED)(:\\d+)?\\]\\s*");
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");

    /** The same nesting limit as every JSON prowctl reads from outside (a deeper body is a 400, not a stack overflow). */
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_NESTING).build()).build());

    /** The dialect a body was recognised as, for the access log. */
    public enum Dialect { ALERTMANAGER, GRAFANA_UNIFIED, GRAFANA_LEGACY }

    /** What a body says: its dialect, the lines to relay (may be empty) and the number of alerts it carried. */
    public record Parsed(Dialect dialect, List<String> messages, int alerts) {
    }

    public Parsed parse(byte[] body) throws BadPayloadException {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadPayloadException("body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadPayloadException("body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadPayloadException("body is not a JSON object");
        }
        if (root.has("alerts")) {
            return parseAlertGroup(root);
        }
        if (root.has("ruleName") || root.has("evalMatches") || (root.has("title") && root.has("state"))) {
            return parseLegacy(root);
        }
        throw new BadPayloadException("unknown webhook: expected an Alertmanager or Grafana body with an \"alerts\""
                + " array, or a legacy Grafana alert with \"ruleName\"/\"evalMatches\"");
    }

    private Parsed parseAlertGroup(JsonNode root) throws BadPayloadException {
        JsonNode alerts = root.get("alerts");
        if (!alerts.isArray()) {
            throw new BadPayloadException("\"alerts\" is not an array");
        }
        boolean grafana = root.has("orgId") || root.has("title");
        int firing = 0;
        int resolved = 0;
        for (JsonNode alert : alerts) {
            if (!alert.isObject() || !alert.path("labels").isObject()) {
                throw new BadPayloadException("an alert without a \"labels\" object");
            }
            if (alert.has("dashboardURL") || alert.has("panelURL") || alert.has("values")) {
                grafana = true;
            }
            if (isFiring(alert)) {
                firing++;
            } else {
                resolved++;
            }
        }
        Dialect dialect = grafana ? Dialect.GRAFANA_UNIFIED : Dialect.ALERTMANAGER;
        if (alerts.isEmpty()) {
            return new Parsed(dialect, List.of(), 0);
        }
        JsonNode first = alerts.get(0);
        String status;
        if (firing > 0 && resolved > 0) {
            status = "[FIRING:" + firing + ", RESOLVED:" + resolved + "]";
        } else if (firing > 0) {
            status = "[FIRING:" + firing + "]";
        } else {
            status = "[RESOLVED:" + resolved + "]";
        }
        String name = TITLE_STATUS.matcher(text(root, "title")).replaceFirst("");
        if (name.isEmpty()) {
            name = firstNonEmpty(text(root.path("groupLabels"), "alertname"),
                    text(root.path("commonLabels"), "alertname"), text(first.path("labels"), "alertname"), "alert");
        }
        String summary = firstNonEmpty(text(root.path("commonAnnotations"), "summary"),
                text(root.path("commonAnnotations"), "description"), text(first.path("annotations"), "summary"),
                text(first.path("annotations"), "description"), "");
        String link = firstNonEmpty(text(first, "panelURL"), text(first, "dashboardURL"), text(first, "generatorURL"),
                text(root, "externalURL"), "");
        StringBuilder line = new StringBuilder(status).append(' ').append(name);
        if (!summary.isEmpty()) {
            line.append(" - ").append(summary);
        }
        if (!link.isEmpty()) {
            line.append(' ').append(link);
        }
        return new Parsed(dialect, List.of(oneLine(line.toString())), alerts.size());
    }

    private Parsed parseLegacy(JsonNode root) throws BadPayloadException {
        String state = text(root, "state");
        String title = text(root, "title");
        if (title.isEmpty()) {
            title = text(root, "ruleName");
        }
        if (title.isEmpty()) {
            throw new BadPayloadException("legacy Grafana alert without \"title\" or \"ruleName\"");
        }
        // As the original relay: a rule going back to "ok" is not announced.
        if ("ok".equalsIgnoreCase(state)) {
            return new Parsed(Dialect.GRAFANA_LEGACY, List.of(), 1);
        }
        String message = text(root, "message");
        String line = message.isEmpty() ? "[" + title + "]" : "[" + title + "] " + message;
        List<String> messages = new ArrayList<>();
        messages.add(oneLine(line));
        return new Parsed(Dialect.GRAFANA_LEGACY, messages, 1);
    }

    /** An alert fires unless its status says resolved, or its endsAt is set and already past. */
    static boolean isFiring(JsonNode alert) {
        String status = text(alert, "status");
        if (!status.isEmpty()) {
            return !"resolved".equalsIgnoreCase(status);
        }
        String endsAt = text(alert, "endsAt");
        if (endsAt.isEmpty() || ZERO_TIME.equals(endsAt)) {
            return true;
        }
        try {
            return Instant.parse(endsAt).isAfter(Instant.now());
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** Control characters (CR, LF, NUL, tabs...) become single spaces: one alert group, one line. */
    static String oneLine(String text) {
        return UNSAFE.matcher(text).replaceAll(" ").strip();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return "";
        }
        return value.asText().strip();
    }

    private static String firstNonEmpty(String... candidates) {
        for (String candidate : candidates) {
            if (!candidate.isEmpty()) {
                return candidate;
            }
        }
        return "";
    }
}
