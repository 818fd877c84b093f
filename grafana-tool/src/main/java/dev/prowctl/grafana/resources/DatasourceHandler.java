package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.Json;

/**
 * Datasources: {@code datasources/<uid>.json}, read by uid ({@code /api/datasources/uid/{uid}}; numeric-id routes
 * are disabled on 13). Secrets never leave Grafana: the export keeps {@code secureJsonFields} as a marker of which
 * secrets exist, and import takes their values from {@link Secrets}. Also reads the original Python export's
 * {@code <name>.datasource.json}.
 */
final class DatasourceHandler implements ResourceHandler {

    /** Server-side state or secrets: never exported, never compared. */
    private static final String[] VOLATILE = {"id", "version", "orgId", "typeLogoUrl", "readOnly", "password",
            "basicAuthPassword", "secureJsonData"};
    /** Fields of the pre-8 datasource model that held secrets in plain text. */
    private static final String[] PLAINTEXT_SECRETS = {"password", "basicAuthPassword"};

    private static final KindDescriptor KIND = KindDescriptor.everywhere("datasources", "datasources");

    @Override
    public KindDescriptor descriptor() {
        return KIND;
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        JsonNode list = client.get(client.api("datasources").build());
        List<String> uids = new ArrayList<>();
        list.forEach(ds -> uids.add(Json.text(ds, "uid")));
        return parallel.map(uids, uid -> ListedItem.read(client, kind(), "datasources", uid, ds -> {
            ObjectNode body = Json.without(ds, VOLATILE);
            if (!body.has("secureJsonFields")) {
                body.set("secureJsonFields", Json.object());
            }
            // 8.x may still hold a plaintext password: never export it, but remember that one is needed.
            for (String field : PLAINTEXT_SECRETS) {
                if (!Json.text(ds, field).isEmpty()) {
                    ((ObjectNode) body.get("secureJsonFields")).put(field, true);
                }
            }
            return new Resource(kind(), ResourceFiles.describe(uid, Json.text(ds, "name")),
                    directory() + "/" + ResourceFiles.fileName(uid), body);
        }));
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!ResourceFiles.under(file, directory()) && !file.endsWith(".datasource.json")) {
            return null;
        }
        ResourceFiles.requireObject(content);
        String name = ResourceFiles.requireText(content, "name");
        ResourceFiles.requireText(content, "type");
        ResourceFiles.checkedUid(Json.text(content, "uid"));
        ObjectNode body = Json.without(content, VOLATILE);
        ObjectNode marker = body.has("secureJsonFields") && body.get("secureJsonFields").isObject()
                ? (ObjectNode) body.get("secureJsonFields") : Json.object();
        body.set("secureJsonFields", marker);
        List<String> warnings = new ArrayList<>();
        for (String field : PLAINTEXT_SECRETS) {
            if (!Json.text(content, field).isEmpty()) {
                marker.put(field, true);
                warnings.add(file + ": ignored the plaintext \"" + field + "\" (secrets never come from the export "
                        + "dir); give it with --secrets-file or $" + Secrets.envName(name, field));
            }
        }
        return new Resource(kind(), ResourceFiles.describe(Json.text(content, "uid"), name), file, body, warnings);
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        ObjectNode wanted = resource.body().deepCopy();
        ObjectNode marker = (ObjectNode) wanted.remove("secureJsonFields");
        String uid = Json.text(wanted, "uid");
        String name = Json.text(wanted, "name");
        List<String> noSecret = new ArrayList<>();
        ObjectNode secrets = secrets(name, uid, marker, context, noSecret);

        JsonNode existing = uid.isEmpty() ? null : client.getOrNull(client.api("datasources", "uid", uid).build());
        if (existing == null) {
            // By name from the list: GET /api/datasources/name/{name} has no documented 404.
            for (JsonNode ds : client.get(client.api("datasources").build())) {
                if (name.equals(Json.text(ds, "name"))) {
                    existing = client.get(client.api("datasources", "uid", Json.text(ds, "uid")).build());
                    break;
                }
            }
        }
        warnMissingSecrets(existing, noSecret, name, resource, context);
        if (existing == null) {
            if (!context.dryRun()) {
                ObjectNode body = wanted.deepCopy();
                if (!secrets.isEmpty()) {
                    body.set("secureJsonData", secrets);
                }
                client.post(client.api("datasources").build(), body);
            }
            return Action.CREATE;
        }
        if (uid.isEmpty()) {
            wanted.put("uid", Json.text(existing, "uid"));
        }
        // Secrets cannot be read back: send them only when Grafana lacks one, or with another change.
        boolean missingSecret = false;
        for (Iterator<String> it = secrets.fieldNames(); it.hasNext(); ) {
            if (!existing.path("secureJsonFields").path(it.next()).asBoolean(false)) {
                missingSecret = true;
            }
        }
        if (Json.containsAll(existing, wanted) && !missingSecret) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            ObjectNode body = wanted.deepCopy();
            body.put("version", existing.path("version").asInt());
            if (!secrets.isEmpty()) {
                body.set("secureJsonData", secrets);
            }
            client.put(updateUrl(client, existing), body);
        }
        return Action.UPDATE;
    }

    /** PUT by uid on 9+; 8.x only has the numeric-id route (disabled by default on 13). */
    private static HttpUrl updateUrl(GrafanaClient client, JsonNode existing) {
        return client.version().atLeast(9, 0)
                ? client.api("datasources", "uid", Json.text(existing, "uid")).build()
                : client.api("datasources", Json.text(existing, "id")).build();
    }

    /** Warns about secrets the export marks but nobody gave, unless Grafana already has them. */
    private static void warnMissingSecrets(JsonNode existing, List<String> noSecret, String name, Resource resource,
                                           ImportContext context) {
        for (String field : noSecret) {
            if (existing == null || !existing.path("secureJsonFields").path(field).asBoolean(false)) {
                context.warnings().accept(resource.file() + ": no secret for \"" + field + "\" of datasource '"
                        + name + "' (set it in --secrets-file or $" + Secrets.envName(name, field) + ")");
            }
        }
    }

    private static ObjectNode secrets(String name, String uid, ObjectNode marker, ImportContext context,
                                      List<String> noSecret) {
        Map<String, String> found = new TreeMap<>(context.secrets().fileEntries(name, uid));
        if (marker != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = marker.fields(); it.hasNext(); ) {
                var field = it.next();
                if (!field.getValue().asBoolean(false) || found.containsKey(field.getKey())) {
                    continue;
                }
                context.secrets().find(name, uid, field.getKey()).ifPresentOrElse(
                        value -> found.put(field.getKey(), value), () -> noSecret.add(field.getKey()));
            }
        }
        ObjectNode node = Json.object();
        found.forEach(node::put);
        return node;
    }
}
