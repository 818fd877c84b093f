package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/** Mute timings (9+): {@code alerting/mute-timings/<name>.json} holding {@code name} and {@code time_intervals}. */
final class MuteTimingHandler implements ResourceHandler {

    private static final String[] VOLATILE = {"version", "provenance"};

    @Override
    public String kind() {
        return "mute-timings";
    }

    @Override
    public String directory() {
        return "alerting/mute-timings";
    }

    @Override
    public boolean supportedBy(GrafanaVersion version) {
        return version.hasUnifiedAlerting();
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        List<Resource> out = new ArrayList<>();
        JsonNode list = client.get(client.api("v1", "provisioning", "mute-timings").build());
        for (JsonNode t : list.isArray() ? list : Json.array()) {
            String name = Json.text(t, "name");
            out.add(new Resource(kind(), name, directory() + "/" + ResourceFiles.fileName(name),
                    Json.without(t, VOLATILE)));
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
        return new Resource(kind(), name, file, Json.without(content, VOLATILE));
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        String name = Json.text(resource.body(), "name");
        JsonNode existing = client.getOrNull(client.api("v1", "provisioning", "mute-timings", name).build());
        if (existing != null && Json.containsAll(existing, resource.body())) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            ObjectNode body = resource.body().deepCopy();
            if (existing == null) {
                client.writeAlerting("POST", client.api("v1", "provisioning", "mute-timings").build(), body);
            } else {
                client.writeAlerting("PUT", client.api("v1", "provisioning", "mute-timings", name).build(), body);
            }
        }
        return existing == null ? Action.CREATE : Action.UPDATE;
    }
}
