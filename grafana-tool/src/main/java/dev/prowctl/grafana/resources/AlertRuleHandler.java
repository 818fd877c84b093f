package dev.prowctl.grafana.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.Json;

/**
 * Grafana-managed alert rules (9+): {@code alerting/rules/<uid>.json} in the provisioning API's form. Imported
 * after folders (a rule lives in a folder) with {@code POST}/{@code PUT /api/v1/provisioning/alert-rules}.
 */
final class AlertRuleHandler extends ProvisioningHandler {

    AlertRuleHandler() {
        super("alert-rules", "alerting/rules", "alert-rules",
                new Naming("uid", "title", "uid", "title", "folderUID", "ruleGroup"), "id", "updated", "provenance");
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        ObjectNode wanted = resource.body();
        String uid = Json.text(wanted, "uid");
        JsonNode existing = client.getOrNull(url(client, uid));
        if (existing == null) {
            if (!context.dryRun()) {
                client.writeAlerting("POST", url(client), wanted);
            }
            return Action.CREATE;
        }
        if (Json.containsAll(existing, wanted)) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            client.writeAlerting("PUT", url(client, uid), wanted);
        }
        return Action.UPDATE;
    }
}
