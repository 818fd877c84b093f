package dev.prowctl.grafana;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Firing alerts, for {@code prowctl grafana alerts} and the relay's IRC {@code alerts <words>} command. Uses the
 * legacy {@code GET /api/alerts?state=alerting} on 8.x and Grafana's built-in Alertmanager
 * ({@code GET /api/alertmanager/grafana/api/v2/alerts?active=true}) on 9+.
 */
public final class GrafanaAlerts {

    private final GrafanaClient client;

    public GrafanaAlerts(GrafanaClient client) {
        this.client = client;
    }

    /**
     * The alerts firing now whose name or message contains every word (case-insensitive), sorted by name.
     *
     * @throws GrafanaException when Grafana cannot be asked (the message says why)
     */
    public List<FiringAlert> firing(List<String> words) {
        List<FiringAlert> all = client.version().hasUnifiedAlerting() ? unified() : legacy();
        return all.stream().filter(a -> a.matches(words))
                .sorted(Comparator.comparing(FiringAlert::name).thenComparing(FiringAlert::since))
                .toList();
    }

    private List<FiringAlert> unified() {
        var url = client.api("alertmanager", "grafana", "api", "v2", "alerts")
                .addQueryParameter("active", "true")
                .addQueryParameter("silenced", "false")
                .addQueryParameter("inhibited", "false").build();
        GrafanaClient.Reply reply = client.send("GET", url, null, false);
        if (reply.status() == 404) {
            throw client.unsupported("Grafana-managed Alertmanager (GET api/alertmanager/grafana/api/v2/alerts → 404)",
                    "is unified alerting disabled ([unified_alerting] enabled = false)? Legacy /api/alerts was "
                            + "removed in Grafana 11");
        }
        if (!reply.ok()) {
            throw client.failure("GET", url, reply);
        }
        if (!reply.body().isArray()) {
            throw new GrafanaException(GrafanaException.Problem.SERVER_ERROR, reply.status(),
                    "GET api/alertmanager/grafana/api/v2/alerts did not answer a list of alerts");
        }
        List<FiringAlert> alerts = new ArrayList<>();
        for (JsonNode a : reply.body()) {
            String state = Json.text(a.path("status"), "state");
            if (!isFiring(state)) {
                continue;
            }
            Map<String, String> labels = strings(a.path("labels"));
            JsonNode annotations = a.path("annotations");
            String message = firstNonEmpty(Json.text(annotations, "summary"), Json.text(annotations, "description"),
                    Json.text(annotations, "message"));
            // Alertmanager says "active"; call it what the IRC users know: firing.
            alerts.add(new FiringAlert(labels.getOrDefault("alertname", ""), "firing", message,
                    Json.text(a, "generatorURL"), labels, Json.text(a, "startsAt")));
        }
        return alerts;
    }

    private List<FiringAlert> legacy() {
        var url = client.api("alerts").addQueryParameter("state", "alerting").build();
        GrafanaClient.Reply reply = client.send("GET", url, null, false);
        if (reply.status() == 404) {
            throw client.unsupported("legacy alerting (GET api/alerts → 404)",
                    "enable unified alerting and use Grafana 9 or later");
        }
        if (!reply.ok()) {
            throw client.failure("GET", url, reply);
        }
        List<FiringAlert> alerts = new ArrayList<>();
        for (JsonNode a : reply.body()) {
            String state = Json.text(a, "state");
            if (!isFiring(state)) {
                continue;
            }
            // The list has no message: the original get_alerts.py read it from /api/alerts/{id}.
            JsonNode detail = client.getOrNull(client.api("alerts", Json.text(a, "id")).build());
            String message = detail == null ? "" : firstNonEmpty(Json.text(detail, "Message"),
                    Json.text(detail, "message"));
            String url1 = Json.text(a, "url");
            alerts.add(new FiringAlert(Json.text(a, "name"), state, message,
                    url1.isEmpty() ? "" : absolute(url1), Map.of(), Json.text(a, "newStateDate")));
        }
        return alerts;
    }

    /** Grafana's state strings vary by version: alerting, firing and (Alertmanager) active mean firing. */
    static boolean isFiring(String state) {
        String s = state.toLowerCase(Locale.ROOT);
        return s.equals("alerting") || s.equals("firing") || s.equals("active");
    }

    /** Grafana's legacy URLs are host-relative and already carry any sub-path ("/grafana/d/uid/slug"). */
    private String absolute(String path) {
        var resolved = client.settings().baseUrl().resolve(path);
        return resolved == null ? path : resolved.toString();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
