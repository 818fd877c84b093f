package dev.prowctl.grafana.resources;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.Json;

/** Mute timings (9+): {@code alerting/mute-timings/<name>.json} holding {@code name} and {@code time_intervals}. */
final class MuteTimingHandler extends ProvisioningHandler {

    MuteTimingHandler() {
        super("mute-timings", "alerting/mute-timings", "mute-timings", new Naming("name", "name", "name"),
                "version", "provenance");
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        String name = Json.text(resource.body(), "name");
        JsonNode existing = client.getOrNull(url(client, name));
        if (existing != null && Json.containsAll(existing, resource.body())) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            if (existing == null) {
                client.writeAlerting("POST", url(client), resource.body().deepCopy());
            } else {
                client.writeAlerting("PUT", url(client, name), resource.body().deepCopy());
            }
        }
        return existing == null ? Action.CREATE : Action.UPDATE;
    }
}
