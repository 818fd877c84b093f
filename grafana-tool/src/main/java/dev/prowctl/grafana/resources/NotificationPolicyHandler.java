package dev.prowctl.grafana.resources;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.Json;

/**
 * The notification policy tree (9+): one file, {@code alerting/policies.json}, in a directory that also holds the
 * other alerting kinds' directories; import replaces the tree.
 */
final class NotificationPolicyHandler extends ProvisioningHandler {

    static final String FILE = "alerting/policies.json";
    private static final String NAME = "notification policy tree";

    NotificationPolicyHandler() {
        super("policies", "alerting", "policies", new Naming("", ""), "provenance");
    }

    @Override
    String fileKey(JsonNode item) {
        return "policies";
    }

    @Override
    String describe(JsonNode item) {
        return NAME;
    }

    @Override
    void check(JsonNode content) {
        // any object is a tree: Grafana checks the routes
    }

    /** Only policies.json: the rest of {@code alerting/} belongs to the other alerting kinds. */
    @Override
    public boolean ownsFile(String name) {
        return name.equals("policies.json");
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        return List.of(new Resource(kind(), NAME, FILE, body(client.get(url(client)))));
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        return file.equals(FILE) ? super.prepare(file, content) : null;
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        JsonNode existing = client.get(url(client));
        if (Json.numericAwareEquals(body(existing), resource.body())) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            client.writeAlerting("PUT", url(client), resource.body());
        }
        return Action.UPDATE;
    }
}
