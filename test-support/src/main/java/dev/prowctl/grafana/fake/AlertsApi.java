package dev.prowctl.grafana.fake;

import static dev.prowctl.grafana.fake.Reply.error;
import static dev.prowctl.grafana.fake.Reply.ok;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;

import dev.prowctl.grafana.fake.FakeGrafana.Line;
import dev.prowctl.grafana.fake.Routes.Access;

/**
 * Alerts as they fire: 8.4's legacy dashboard alerts and notification channels, and from 11 on the Grafana-managed
 * Alertmanager's alert list.
 */
final class AlertsApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Ids ids;
    private final String subPath;
    private final Supplier<HttpUrl> baseUrl;
    private final List<ObjectNode> firing = new ArrayList<>();
    private final Map<String, ObjectNode> notifications = new LinkedHashMap<>();

    /** @param baseUrl the fake's URL with its sub-path, known once the server runs */
    AlertsApi(Ids ids, String subPath, Supplier<HttpUrl> baseUrl) {
        this.ids = ids;
        this.subPath = subPath;
        this.baseUrl = baseUrl;
    }

    void addFiringAlert(String name, String state, String summary) {
        firing.add(F.objectNode().put("name", name).put("state", state).put("summary", summary)
                .put("id", ids.next()));
    }

    void addNotification(String uid, String name, String type, ObjectNode settings) {
        notifications.put(uid, (ObjectNode) F.objectNode().put("id", ids.next()).put("uid", uid).put("name", name)
                .put("type", type).put("isDefault", false).put("sendReminder", false)
                .put("disableResolveMessage", false).put("created", "2022-03-01T10:00:00Z")
                .put("updated", "2022-03-01T10:00:00Z").set("settings", settings));
    }

    void register(Routes routes) {
        routes.add("GET", "/api/alerts", Line::legacyAlerting, Access.READ, this::legacyAlerts);
        routes.add("GET", "/api/alerts/(\\d+)", Line::legacyAlerting, Access.READ, c -> firing.stream()
                .filter(a -> a.path("id").asText().equals(c.param(1))).findFirst()
                .map(a -> ok(F.objectNode().put("Id", a.path("id").asLong()).put("Name", a.path("name").asText())
                        .put("Message", a.path("summary").asText()).put("State", a.path("state").asText())))
                .orElse(error(404, "Alert not found")));
        routes.add("GET", "/api/alert-notifications", Line::legacyAlerting, Access.READ, c -> {
            ArrayNode out = F.arrayNode();
            notifications.values().forEach(n -> out.add(n.deepCopy()));
            return ok(out);
        });
        routes.add("GET", "/api/alert-notifications/uid/([^/]+)", Line::legacyAlerting, Access.READ, c -> {
            ObjectNode n = notifications.get(c.param(1));
            return n == null ? error(404, "Alert notification not found") : ok(n.deepCopy());
        });
        routes.add("POST", "/api/alert-notifications", Line::legacyAlerting, Access.ADMIN, c -> {
            String uid = c.body().path("uid").asText("");
            if (uid.isEmpty()) {
                uid = "n" + ids.peek();
            }
            addNotification(uid, c.body().path("name").asText(), c.body().path("type").asText(),
                    (ObjectNode) c.body().path("settings").deepCopy());
            return ok(notifications.get(uid).deepCopy());
        });
        routes.add("PUT", "/api/alert-notifications/uid/([^/]+)", Line::legacyAlerting, Access.ADMIN, c -> {
            ObjectNode n = notifications.get(c.param(1));
            if (n == null) {
                return error(404, "Alert notification not found");
            }
            c.body().fields().forEachRemaining(e -> n.set(e.getKey(), e.getValue().deepCopy()));
            return ok(n.deepCopy());
        });
        routes.add("GET", "/api/alertmanager/grafana/api/v2/alerts", Line::modern, Access.READ,
                this::alertmanagerAlerts);
    }

    private Reply legacyAlerts(Call c) {
        ArrayNode out = F.arrayNode();
        for (ObjectNode a : firing) {
            if (!c.query("state").isEmpty() && !a.path("state").asText().equals(c.query("state"))) {
                continue;
            }
            out.add(F.objectNode().put("id", a.path("id").asLong()).put("dashboardId", 1)
                    .put("dashboardUid", "oadp").put("dashboardSlug", "oadp").put("panelId", 2)
                    .put("name", a.path("name").asText()).put("state", a.path("state").asText())
                    .put("newStateDate", "2026-11-27T10:00:00Z").put("url", subPath + "d/oadp/oadp"));
        }
        return ok(out);
    }

    /** Active alerts ("ok" ones are not listed; "suppressed" ones only without silenced=false). */
    private Reply alertmanagerAlerts(Call c) {
        ArrayNode out = F.arrayNode();
        for (ObjectNode a : firing) {
            String state = a.path("state").asText();
            if (state.equals("ok")) {
                continue;
            }
            if (c.query("silenced").equals("false") && state.equals("suppressed")) {
                continue;
            }
            ObjectNode alert = F.objectNode();
            alert.set("labels", F.objectNode().put("alertname", a.path("name").asText()).put("team", "oadp"));
            alert.set("annotations", F.objectNode().put("summary", a.path("summary").asText()));
            alert.put("startsAt", "2026-11-27T10:00:00Z").put("endsAt", "2026-11-27T10:20:00Z")
                    .put("updatedAt", "2026-11-27T10:05:00Z").put("fingerprint", "fp" + a.path("id").asText())
                    .put("generatorURL", baseUrl.get() + "alerting/grafana/" + a.path("id").asText() + "/view");
            alert.set("status", F.objectNode().put("state", state.equals("suppressed") ? "suppressed" : "active")
                    .set("silencedBy", F.arrayNode()));
            alert.set("receivers", F.arrayNode().add(F.objectNode().put("name", "irc")));
            out.add(alert);
        }
        return ok(out);
    }
}
