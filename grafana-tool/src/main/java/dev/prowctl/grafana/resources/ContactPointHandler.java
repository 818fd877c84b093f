package dev.prowctl.grafana.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.Json;

/**
 * Contact points (9+): {@code alerting/contact-points/<uid>.json} in the provisioning API's form
 * ({@code uid, name, type, settings, disableResolveMessage}). Grafana redacts secret settings on GET, so they are
 * exported as {@code "[REDACTED]"} and compare equal to what Grafana keeps.
 */
final class ContactPointHandler extends ProvisioningHandler {

    ContactPointHandler() {
        super("contact-points", "alerting/contact-points", "contact-points",
                new Naming("uid", "name", "name", "type"), "provenance");
    }

    /** Matched by uid, else by name and type (a contact point made by hand in the UI has another uid). */
    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        ObjectNode wanted = resource.body().deepCopy();
        String uid = Json.text(wanted, "uid");
        String name = Json.text(wanted, "name");
        JsonNode existing = null;
        JsonNode byName = null;
        for (JsonNode cp : client.get(url(client))) {
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
                client.writeAlerting("POST", url(client), wanted);
            }
            return Action.CREATE;
        }
        wanted.put("uid", Json.text(existing, "uid"));
        if (Json.containsAll(existing, wanted)) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            client.writeAlerting("PUT", url(client, Json.text(existing, "uid")), wanted);
        }
        return Action.UPDATE;
    }
}
