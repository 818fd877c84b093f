package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/**
 * Legacy alert notification channels (8.x, removed in 11): {@code alert-notifications/<uid>.json}, and the
 * original Python export's {@code <name>.alert-notification.json}. On a Grafana with unified alerting they are
 * imported as contact points (same name, type, settings and uid), so teams can migrate their channels.
 */
final class AlertNotificationHandler implements ResourceHandler {

    private static final KindDescriptor KIND =
            KindDescriptor.everywhere("alert-notifications", "alert-notifications");
    private static final String[] VOLATILE = {"id", "created", "updated", "secureSettings"};

    private final ContactPointHandler contactPoints;

    AlertNotificationHandler(ContactPointHandler contactPoints) {
        this.contactPoints = contactPoints;
    }

    @Override
    public KindDescriptor descriptor() {
        return KIND;
    }

    /** Importable everywhere (as contact points on 9+), but exported only from legacy alerting (8.x). */
    @Override
    public String exportSkipped(GrafanaVersion version) {
        return version.hasUnifiedAlerting() ? "Grafana " + version + " uses unified alerting (see contact-points)"
                : null;
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        if (client.version().hasUnifiedAlerting()) {
            return List.of();
        }
        List<Resource> out = new ArrayList<>();
        for (JsonNode n : client.get(client.api("alert-notifications").build())) {
            String uid = Json.text(n, "uid");
            out.add(new Resource(kind(), ResourceFiles.describe(uid, Json.text(n, "name")),
                    directory() + "/" + ResourceFiles.fileName(uid), Json.without(n, VOLATILE)));
        }
        return out;
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!ResourceFiles.under(file, directory()) && !file.endsWith(".alert-notification.json")) {
            return null;
        }
        ResourceFiles.requireObject(content);
        String name = ResourceFiles.requireText(content, "name");
        ResourceFiles.requireText(content, "type");
        ResourceFiles.checkedUid(Json.text(content, "uid"));
        return new Resource(kind(), ResourceFiles.describe(Json.text(content, "uid"), name), file,
                Json.without(content, VOLATILE));
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        if (client.version().hasUnifiedAlerting()) {
            return contactPoints.importResource(asContactPoint(resource), context);
        }
        ObjectNode wanted = resource.body();
        String uid = Json.text(wanted, "uid");
        JsonNode existing = uid.isEmpty() ? null
                : client.getOrNull(client.api("alert-notifications", "uid", uid).build());
        if (existing == null) {
            for (JsonNode n : client.get(client.api("alert-notifications").build())) {
                if (Json.text(n, "name").equals(Json.text(wanted, "name"))) {
                    existing = n;
                }
            }
        }
        if (existing == null) {
            if (!context.dryRun()) {
                client.post(client.api("alert-notifications").build(), wanted);
            }
            return Action.CREATE;
        }
        if (Json.containsAll(existing, wanted)) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            ObjectNode body = wanted.deepCopy();
            body.put("uid", Json.text(existing, "uid"));
            client.put(client.api("alert-notifications", "uid", Json.text(existing, "uid")).build(), body);
        }
        return Action.UPDATE;
    }

    /** The unified-alerting equivalent of a legacy channel: same uid, name, type and settings. */
    static Resource asContactPoint(Resource notification) {
        JsonNode n = notification.body();
        ObjectNode cp = Json.object();
        if (!Json.text(n, "uid").isEmpty()) {
            cp.put("uid", Json.text(n, "uid"));
        }
        cp.put("name", Json.text(n, "name"));
        cp.put("type", Json.text(n, "type"));
        cp.set("settings", n.has("settings") ? n.get("settings").deepCopy() : Json.object());
        cp.put("disableResolveMessage", n.path("disableResolveMessage").asBoolean(false));
        return new Resource("contact-points", notification.name(), notification.file(), cp, notification.warnings());
    }
}
