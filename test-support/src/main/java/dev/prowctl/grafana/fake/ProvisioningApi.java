package dev.prowctl.grafana.fake;

import static dev.prowctl.grafana.fake.Reply.error;
import static dev.prowctl.grafana.fake.Reply.ok;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.fake.FakeGrafana.Line;
import dev.prowctl.grafana.fake.Routes.Access;

/**
 * The unified alerting provisioning API (11+): contact points (secrets redacted), the notification policy tree,
 * alert rules, templates and mute timings, with provenance unless X-Disable-Provenance and 409 on a stale version.
 */
final class ProvisioningApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String BASE = "/api/v1/provisioning";

    private final Line line;
    private final Ids ids;
    private final FoldersApi folders;
    private final Map<String, ObjectNode> contactPoints = new LinkedHashMap<>();
    private ObjectNode policies = (ObjectNode) F.objectNode().put("receiver", "grafana-default-email")
            .set("group_by", F.arrayNode().add("grafana_folder").add("alertname"));
    private final Map<String, ObjectNode> rules = new LinkedHashMap<>();
    private final Map<String, ObjectNode> templates = new TreeMap<>();
    private final Map<String, ObjectNode> muteTimings = new TreeMap<>();

    ProvisioningApi(Line line, Ids ids, FoldersApi folders) {
        this.line = line;
        this.ids = ids;
        this.folders = folders;
    }

    void addContactPoint(String uid, String name, String type, ObjectNode settings) {
        contactPoints.put(uid, (ObjectNode) F.objectNode().put("uid", uid).put("name", name).put("type", type)
                .put("disableResolveMessage", false).put("provenance", "").set("settings", settings));
    }

    void addRule(String uid, String title, String folderUid, String group) {
        ObjectNode rule = F.objectNode().put("id", ids.next()).put("uid", uid).put("orgID", 1)
                .put("folderUID", folderUid).put("ruleGroup", group).put("title", title).put("condition", "A")
                .put("noDataState", "NoData").put("execErrState", "Error").put("for", "5m")
                .put("updated", "2026-11-27T10:00:00Z").put("provenance", "").put("isPaused", false);
        rule.set("data", F.arrayNode().add(F.objectNode().put("refId", "A").put("datasourceUid", "influx")
                .put("queryType", "").set("model", F.objectNode().put("query", "SELECT count(*) FROM runs"))));
        rule.set("annotations", F.objectNode().put("summary", title + " is failing"));
        rule.set("labels", F.objectNode().put("team", "oadp"));
        rules.put(uid, rule);
    }

    void addTemplate(String name, String template) {
        templates.put(name, F.objectNode().put("name", name).put("template", template).put("provenance", "")
                .put("version", "v1"));
    }

    void addMuteTiming(String name) {
        ObjectNode mt = F.objectNode().put("name", name).put("version", "v1").put("provenance", "");
        mt.set("time_intervals", F.arrayNode().add(F.objectNode().set("weekdays", F.arrayNode().add("saturday")
                .add("sunday"))));
        muteTimings.put(name, mt);
    }

    void setPolicies(ObjectNode tree) {
        policies = tree.deepCopy();
    }

    Map<String, JsonNode> contactPoints() {
        return new TreeMap<>(contactPoints);
    }

    Map<String, JsonNode> rules() {
        return new TreeMap<>(rules);
    }

    Map<String, JsonNode> templates() {
        return new TreeMap<>(templates);
    }

    Map<String, JsonNode> muteTimings() {
        return new TreeMap<>(muteTimings);
    }

    JsonNode policies() {
        return policies.deepCopy();
    }

    void register(Routes routes) {
        routes.add("GET", BASE + "/contact-points", Line::modern, Access.ADMIN, c -> {
            ArrayNode out = F.arrayNode();
            contactPoints.values().stream()
                    .filter(cp -> c.query("name").isEmpty() || cp.path("name").asText().equals(c.query("name")))
                    .forEach(cp -> out.add(redacted(cp)));
            return ok(out);
        });
        routes.add("POST", BASE + "/contact-points", Line::modern, Access.ADMIN, this::createContactPoint);
        routes.add("PUT", BASE + "/contact-points/([^/]+)", Line::modern, Access.ADMIN, this::updateContactPoint);
        routes.add("GET", BASE + "/policies", Line::modern, Access.ADMIN, c -> ok(policies.deepCopy()));
        routes.add("PUT", BASE + "/policies", Line::modern, Access.ADMIN, c -> {
            policies = ((ObjectNode) c.body().deepCopy());
            if (!c.provenance().isEmpty()) {
                policies.put("provenance", c.provenance());
            }
            return new Reply(202, F.objectNode());
        });
        routes.add("GET", BASE + "/alert-rules", Line::modern, Access.ADMIN, c -> list(rules));
        routes.add("GET", BASE + "/alert-rules/([^/]+)", Line::modern, Access.ADMIN, c -> {
            ObjectNode r = rules.get(c.param(1));
            return r == null ? new Reply(404, null) : ok(r.deepCopy());
        });
        routes.add("POST", BASE + "/alert-rules", Line::modern, Access.ADMIN, this::createRule);
        routes.add("PUT", BASE + "/alert-rules/([^/]+)", Line::modern, Access.ADMIN, this::updateRule);
        routes.add("GET", BASE + "/templates", Line::modern, Access.ADMIN, c -> templates.isEmpty()
                && line.answersNullForNoTemplates() ? ok(null) : list(templates));
        routes.add("GET", BASE + "/templates/([^/]+)", Line::modern, Access.ADMIN, c -> {
            ObjectNode t = templates.get(c.param(1));
            return t == null ? error(404, "template not found") : ok(t.deepCopy());
        });
        routes.add("PUT", BASE + "/templates/([^/]+)", Line::modern, Access.ADMIN, this::putTemplate);
        routes.add("GET", BASE + "/mute-timings", Line::modern, Access.ADMIN, c -> list(muteTimings));
        routes.add("GET", BASE + "/mute-timings/([^/]+)", Line::modern, Access.ADMIN, c -> {
            ObjectNode t = muteTimings.get(c.param(1));
            return t == null ? new Reply(404, null) : ok(t.deepCopy());
        });
        routes.add("POST", BASE + "/mute-timings", Line::modern, Access.ADMIN, this::createMuteTiming);
        routes.add("PUT", BASE + "/mute-timings/([^/]+)", Line::modern, Access.ADMIN, this::updateMuteTiming);
    }

    private static Reply list(Map<String, ObjectNode> items) {
        ArrayNode out = F.arrayNode();
        items.values().forEach(item -> out.add(item.deepCopy()));
        return ok(out);
    }

    private Reply createContactPoint(Call c) {
        String uid = c.body().path("uid").asText("");
        if (uid.isEmpty()) {
            uid = "cp" + ids.next();
        }
        if (contactPoints.containsKey(uid)) {
            return error(400, "contact point with this uid already exists");
        }
        ObjectNode cp = ((ObjectNode) c.body().deepCopy()).put("uid", uid).put("provenance", c.provenance());
        contactPoints.put(uid, cp);
        return new Reply(202, redacted(cp));
    }

    private Reply updateContactPoint(Call c) {
        ObjectNode existing = contactPoints.get(c.param(1));
        if (existing == null) {
            return error(400, "contact point not found");
        }
        ObjectNode cp = ((ObjectNode) c.body().deepCopy()).put("uid", c.param(1)).put("provenance", c.provenance());
        // Redacted secrets in an update keep what Grafana has.
        c.body().path("settings").fields().forEachRemaining(e -> {
            if (e.getValue().asText().equals("[REDACTED]")) {
                ((ObjectNode) cp.get("settings")).set(e.getKey(), existing.path("settings").path(e.getKey()));
            }
        });
        contactPoints.put(c.param(1), cp);
        return new Reply(202, F.objectNode());
    }

    /** Grafana redacts secure settings on GET (slack's webhook url is one of them). */
    private static ObjectNode redacted(ObjectNode cp) {
        ObjectNode copy = cp.deepCopy();
        JsonNode settings = copy.path("settings");
        List<String> secure = cp.path("type").asText().equals("slack") ? List.of("password", "token", "url")
                : List.of("password", "token", "apiKey");
        for (String secret : secure) {
            if (settings.has(secret)) {
                ((ObjectNode) settings).put(secret, "[REDACTED]");
            }
        }
        return copy;
    }

    private Reply createRule(Call c) {
        String folder = c.body().path("folderUID").asText();
        if (!folders.exists(folder)) {
            return error(400, "invalid alert rule: folder does not exist");
        }
        ObjectNode r = ((ObjectNode) c.body().deepCopy()).put("id", ids.next()).put("orgID", 1)
                .put("updated", "2026-11-28T02:00:00Z").put("provenance", c.provenance());
        if (r.path("uid").asText("").isEmpty()) {
            r.put("uid", "rule" + ids.next());
        }
        rules.put(r.path("uid").asText(), r);
        return new Reply(201, r.deepCopy());
    }

    private Reply updateRule(Call c) {
        ObjectNode old = rules.get(c.param(1));
        if (old == null) {
            return error(400, "rule not found");
        }
        ObjectNode r = ((ObjectNode) c.body().deepCopy()).put("uid", c.param(1))
                .put("id", old.path("id").asLong()).put("orgID", 1)
                .put("updated", "2026-11-28T02:00:01Z").put("provenance", c.provenance());
        rules.put(c.param(1), r);
        return ok(r.deepCopy());
    }

    private Reply putTemplate(Call c) {
        ObjectNode old = templates.get(c.param(1));
        if (old != null && staleVersion(old, c)) {
            return error(409, "provided version does not match current version");
        }
        int v = old == null ? 1 : nextVersion(old);
        ObjectNode t = F.objectNode().put("name", c.param(1)).put("template", c.body().path("template").asText())
                .put("provenance", c.provenance()).put("version", "v" + v);
        templates.put(c.param(1), t);
        return new Reply(202, t.deepCopy());
    }

    private Reply createMuteTiming(Call c) {
        String name = c.body().path("name").asText();
        if (muteTimings.containsKey(name)) {
            return error(400, "mute timing with this name already exists");
        }
        ObjectNode t = ((ObjectNode) c.body().deepCopy()).put("version", "v1").put("provenance", c.provenance());
        muteTimings.put(name, t);
        return new Reply(201, t.deepCopy());
    }

    private Reply updateMuteTiming(Call c) {
        ObjectNode old = muteTimings.get(c.param(1));
        if (old == null) {
            return error(400, "mute timing not found");
        }
        if (staleVersion(old, c)) {
            return error(409, "provided version does not match current version");
        }
        ObjectNode t = ((ObjectNode) c.body().deepCopy()).put("name", c.param(1)).put("version", "v" + nextVersion(old))
                .put("provenance", c.provenance());
        muteTimings.put(c.param(1), t);
        return new Reply(202, t.deepCopy());
    }

    /** The request names a version ("v3") other than the stored one. */
    private static boolean staleVersion(ObjectNode stored, Call c) {
        return c.body().hasNonNull("version")
                && !c.body().path("version").asText().equals(stored.path("version").asText());
    }

    private static int nextVersion(ObjectNode stored) {
        return Integer.parseInt(stored.path("version").asText().substring(1)) + 1;
    }
}
