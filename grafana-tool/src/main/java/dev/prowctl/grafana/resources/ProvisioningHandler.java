package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/**
 * The base of the unified-alerting kinds (9+), all served by {@code /api/v1/provisioning/<endpoint>}: one file per
 * item of the endpoint's list, named by uid or name, holding the item without its volatile fields. A subclass says
 * how an item is named and checked, and how it is imported.
 */
abstract class ProvisioningHandler implements ResourceHandler {

    private static final GrafanaVersion UNIFIED_ALERTING = GrafanaVersion.parse("9.0.0");

    private final KindDescriptor descriptor;
    private final String endpoint;
    private final String[] volatileFields;

    /**
     * @param endpoint       the path segment below {@code /api/v1/provisioning/}
     * @param volatileFields server-side state: never exported, never compared
     */
    ProvisioningHandler(String kind, String directory, String endpoint, String... volatileFields) {
        this.descriptor = new KindDescriptor(kind, directory, UNIFIED_ALERTING,
                "unified alerting needs Grafana 9 or later");
        this.endpoint = endpoint;
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

    /** The item's uid or name, which names its file. */
    abstract String fileKey(JsonNode item);

    /** How the item is named to people ("uid (title)"). */
    abstract String describe(JsonNode item);

    /**
     * Checks that a file has what the kind needs.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    abstract void check(JsonNode content);

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
