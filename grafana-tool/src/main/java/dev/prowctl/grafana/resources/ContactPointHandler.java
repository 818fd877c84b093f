package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/**
 * Contact points (9+): {@code alerting/contact-points/<uid>.json} in the provisioning API's form
 * ({@code uid, name, type, settings, disableResolveMessage}). Grafana redacts secret settings on GET, so they are
 * exported as {@code "[REDACTED]"} and compare equal to what Grafana keeps.
 */
final class ContactPointHandler implements ResourceHandler {

    private static final String[] VOLATILE = {"provenance"};

    @Override
    public String kind() {
        return "contact-points";
    }

    @Override
    public String directory() {
        return "alerting/contact-points";
    }

    @Override
    public boolean supportedBy(GrafanaVersion version) {
        return version.hasUnifiedAlerting();
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        List<Resource> out = new ArrayList<>();
        for (JsonNode cp : client.get(client.api("v1", "provisioning", "contact-points").build())) {
            String uid = Json.text(cp, "uid");
            out.add(new Resource(kind(), ResourceFiles.describe(uid, Json.text(cp, "name")),
                    directory() + "/" + ResourceFiles.fileName(uid), Json.without(cp, VOLATILE)));
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
        ResourceFiles.requireText(content, "type");
        return new Resource(kind(), ResourceFiles.describe(Json.text(content, "uid"), name), file,
                Json.without(content, VOLATILE));
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        ObjectNode wanted = resource.body().deepCopy();
        String uid = Json.text(wanted, "uid");
        String name = Json.text(wanted, "name");
        JsonNode existing = null;
        JsonNode byName = null;
        for (JsonNode cp : client.get(client.api("v1", "provisioning", "contact-points").build())) {
            if (!uid.isEmpty() && uid.equals(Json.text(cp, "uid"))) {
                existing = cp;
            } else if (byName == null && name.equals(Json.text(cp, "name"))
                    && Json.text(cp, "type").equals(Json.text(wanted, "type"))) {
                byName = cp;
            }
        }
        if (existing == null) {
            existing = byName;
        }
        if (existing == null) {
            if (!context.dryRun()) {
                client.writeAlerting("POST", client.api("v1", "provisioning", "contact-points").build(), wanted);
            }
            return Action.CREATE;
        }
        wanted.put("uid", Json.text(existing, "uid"));
        if (Json.containsAll(existing, wanted)) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            client.writeAlerting("PUT", client.api("v1", "provisioning", "contact-points",
                    Json.text(existing, "uid")).build(), wanted);
        }
        return Action.UPDATE;
    }
}
