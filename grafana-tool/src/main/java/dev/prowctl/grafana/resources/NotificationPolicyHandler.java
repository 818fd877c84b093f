package dev.prowctl.grafana.resources;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/** The notification policy tree (9+): one file, {@code alerting/policies.json}; import replaces the tree. */
final class NotificationPolicyHandler implements ResourceHandler {

    static final String FILE = "alerting/policies.json";
    private static final String[] VOLATILE = {"provenance"};

    @Override
    public String kind() {
        return "policies";
    }

    @Override
    public String directory() {
        return "alerting";
    }

    @Override
    public boolean supportedBy(GrafanaVersion version) {
        return version.hasUnifiedAlerting();
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        JsonNode tree = client.get(client.api("v1", "provisioning", "policies").build());
        return List.of(new Resource(kind(), "notification policy tree", FILE, Json.without(tree, VOLATILE)));
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!file.equals(FILE)) {
            return null;
        }
        ResourceFiles.requireObject(content);
        return new Resource(kind(), "notification policy tree", file, Json.without(content, VOLATILE));
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        var url = client.api("v1", "provisioning", "policies").build();
        JsonNode existing = client.get(url);
        ObjectNode wanted = resource.body();
        if (Json.numericAwareEquals(Json.without(existing, VOLATILE), wanted)) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            client.writeAlerting("PUT", url, wanted);
        }
        return Action.UPDATE;
    }
}
