package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;
import dev.prowctl.http.TerminalText;

/**
 * The base of the unified-alerting kinds (9+), all served by {@code /api/v1/provisioning/<endpoint>}: one file per
 * item of the endpoint's list, named by its key field (uid or name), holding the item without its volatile fields.
 * The {@link Naming} says how an item is keyed, shown and checked; a subclass says how it is imported.
 */
abstract class ProvisioningHandler implements ResourceHandler {

    private static final GrafanaVersion UNIFIED_ALERTING = GrafanaVersion.parse("9.0.0");

    /**
     * How an item is named.
     *
     * @param key      the field that keys an item: its file name and its URL segment ("uid" or "name")
     * @param label    the field shown beside the key ("title"); the key itself when it is the name
     * @param required the text fields a file must have
     */
    record Naming(String key, String label, String... required) {
    }

    private final KindDescriptor descriptor;
    private final String endpoint;
    private final Naming naming;
    private final String[] volatileFields;

    /**
     * @param endpoint       the path segment below {@code /api/v1/provisioning/}
     * @param volatileFields server-side state: never exported, never compared
     */
    ProvisioningHandler(String kind, String directory, String endpoint, Naming naming, String... volatileFields) {
        this.descriptor = new KindDescriptor(kind, directory, UNIFIED_ALERTING,
                "unified alerting needs Grafana 9 or later");
        this.endpoint = endpoint;
        this.naming = naming;
        this.volatileFields = volatileFields;
    }

    @Override
    public final KindDescriptor descriptor() {
        return descriptor;
    }

    /** {@code api/v1/provisioning/<endpoint>}, then {@code segments} (an item's uid or name). */
    final HttpUrl url(GrafanaClient client, String... segments) {
        HttpUrl.Builder url = client.api("v1", "provisioning", endpoint);
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url.build();
    }

    /** The item's uid or name, which names its file and goes into its URL. */
    String fileKey(JsonNode item) {
        return Json.text(item, naming.key());
    }

    /** How the item is named to people ("uid (title)", or the name). */
    String describe(JsonNode item) {
        return naming.key().equals(naming.label()) ? TerminalText.oneLine(fileKey(item))
                : ResourceFiles.describe(fileKey(item), Json.text(item, naming.label()));
    }

    /**
     * Checks that a file has what the kind needs, and a key that can be a URL segment.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    void check(JsonNode content) {
        for (String field : naming.required()) {
            ResourceFiles.requireText(content, field);
        }
        ResourceFiles.checkedUid(fileKey(content));
    }

    /** What is stored and compared: the item without its volatile fields. */
    ObjectNode body(JsonNode item) {
        return Json.without(item, volatileFields);
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        List<Resource> out = new ArrayList<>();
        JsonNode list = client.get(url(client));
        for (JsonNode item : list.isArray() ? list : Json.array()) {
            out.add(new Resource(kind(), describe(item), directory() + "/" + ResourceFiles.fileName(fileKey(item)),
                    body(item)));
        }
        return out;
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!ResourceFiles.under(file, directory())) {
            return null;
        }
        ResourceFiles.requireObject(content);
        check(content);
        return new Resource(kind(), describe(content), file, body(content));
    }
}
