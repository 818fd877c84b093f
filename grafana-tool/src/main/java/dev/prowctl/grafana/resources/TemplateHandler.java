package dev.prowctl.grafana.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.Json;

/** Notification templates (9+): {@code alerting/templates/<name>.json} holding {@code name} and {@code template}. */
final class TemplateHandler extends ProvisioningHandler {

    TemplateHandler() {
        super("templates", "alerting/templates", "templates", new Naming("name", "name", "name", "template"));
    }

    /** Only the name and the text: Grafana adds a version and provenance. */
    @Override
    ObjectNode body(JsonNode item) {
        return Json.object().put("name", Json.text(item, "name")).put("template", Json.text(item, "template"));
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        var url = url(client, Json.text(resource.body(), "name"));
        JsonNode existing = client.getOrNull(url);
        if (existing != null && Json.text(existing, "template").equals(Json.text(resource.body(), "template"))) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            ObjectNode body = Json.object().put("template", Json.text(resource.body(), "template"));
            if (existing != null && existing.hasNonNull("version")) {
                body.put("version", Json.text(existing, "version"));
            }
            client.writeAlerting("PUT", url, body);
        }
        return existing == null ? Action.CREATE : Action.UPDATE;
    }
}
