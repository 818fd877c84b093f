package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/** Notification templates (9+): {@code alerting/templates/<name>.json} holding {@code name} and {@code template}. */
final class TemplateHandler implements ResourceHandler {

    @Override
    public String kind() {
        return "templates";
    }

    @Override
    public String directory() {
        return "alerting/templates";
    }

    @Override
    public boolean supportedBy(GrafanaVersion version) {
        return version.hasUnifiedAlerting();
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        List<Resource> out = new ArrayList<>();
        JsonNode list = client.get(client.api("v1", "provisioning", "templates").build());
        for (JsonNode t : list.isArray() ? list : Json.array()) {
            String name = Json.text(t, "name");
            ObjectNode body = Json.object().put("name", name).put("template", Json.text(t, "template"));
            out.add(new Resource(kind(), name, directory() + "/" + ResourceFiles.fileName(name), body));
        }
        return out;
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!ResourceFiles.under(file, directory())) {
            return null;
        }
        ResourceFiles.requireObject(content);
        String name = ResourceFiles.requireText(content, "name");
        ResourceFiles.requireText(content, "template");
        ObjectNode body = Json.object().put("name", name).put("template", Json.text(content, "template"));
        return new Resource(kind(), name, file, body);
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        String name = Json.text(resource.body(), "name");
        var url = client.api("v1", "provisioning", "templates", name).build();
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
