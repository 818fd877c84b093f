package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/**
 * Grafana-managed alert rules (9+): {@code alerting/rules/<uid>.json} in the provisioning API's form. Imported
 * after folders (a rule lives in a folder) with {@code POST}/{@code PUT /api/v1/provisioning/alert-rules}.
 */
final class AlertRuleHandler implements ResourceHandler {

    private static final String[] VOLATILE = {"id", "updated", "provenance"};

    @Override
    public String kind() {
        return "alert-rules";
    }

    @Override
    public String directory() {
        return "alerting/rules";
    }

    @Override
    public boolean supportedBy(GrafanaVersion version) {
        return version.hasUnifiedAlerting();
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        List<Resource> out = new ArrayList<>();
        for (JsonNode rule : client.get(client.api("v1", "provisioning", "alert-rules").build())) {
            String uid = Json.text(rule, "uid");
            out.add(new Resource(kind(), ResourceFiles.describe(uid, Json.text(rule, "title")),
                    directory() + "/" + ResourceFiles.fileName(uid), Json.without(rule, VOLATILE)));
        }
        return out;
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!ResourceFiles.under(file, directory())) {
            return null;
        }
        ResourceFiles.requireObject(content);
        String uid = ResourceFiles.requireText(content, "uid");
        String title = ResourceFiles.requireText(content, "title");
        ResourceFiles.requireText(content, "folderUID");
        ResourceFiles.requireText(content, "ruleGroup");
        return new Resource(kind(), ResourceFiles.describe(uid, title), file, Json.without(content, VOLATILE));
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        ObjectNode wanted = resource.body();
        String uid = Json.text(wanted, "uid");
        JsonNode existing = client.getOrNull(client.api("v1", "provisioning", "alert-rules", uid).build());
        if (existing == null) {
            if (!context.dryRun()) {
                client.writeAlerting("POST", client.api("v1", "provisioning", "alert-rules").build(), wanted);
            }
            return Action.CREATE;
        }
        if (Json.containsAll(existing, wanted)) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            client.writeAlerting("PUT", client.api("v1", "provisioning", "alert-rules", uid).build(), wanted);
        }
        return Action.UPDATE;
    }
}
