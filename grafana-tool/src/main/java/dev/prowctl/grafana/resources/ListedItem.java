package dev.prowctl.grafana.resources;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;

import dev.prowctl.grafana.GrafanaClient;

/**
 * Reads one item that a list named by uid ({@code GET api/<kind>/uid/<uid>}): between the list and the read it may
 * have been deleted (404: a skipped item, not a missing feature), and a uid that cannot be a URL segment is that
 * item's error, never sent.
 */
final class ListedItem {

    private ListedItem() {
    }

    /**
     * @param endpoint the path below {@code api/} before {@code uid/<uid>} ("dashboards")
     * @param build    turns what Grafana answered into the resource
     */
    static Resource read(GrafanaClient client, String kind, String endpoint, String uid,
                         Function<JsonNode, Resource> build) {
        String name = ResourceFiles.shownUid(uid);
        if (!ResourceFiles.validUid(uid)) {
            return Resource.invalid(kind, name, ResourceFiles.invalidUid(uid));
        }
        HttpUrl url = client.api(endpoint, "uid", uid).build();
        JsonNode item = client.getOrNull(url);
        return item == null ? Resource.vanished(kind, name, "GET " + client.path(url)) : build.apply(item);
    }
}
