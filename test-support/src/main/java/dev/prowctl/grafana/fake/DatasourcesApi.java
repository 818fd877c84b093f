package dev.prowctl.grafana.fake;

import static dev.prowctl.grafana.fake.Reply.error;
import static dev.prowctl.grafana.fake.Reply.ok;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.fake.FakeGrafana.Line;
import dev.prowctl.grafana.fake.Routes.Access;

/** Datasources: by uid everywhere, by numeric id up to 12; secrets are kept but never returned. */
final class DatasourcesApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Ids ids;
    private final Map<String, ObjectNode> datasources = new TreeMap<>();
    /** Secrets the fake stores (never returned by GET; tests check what import sent). */
    private final Map<String, Map<String, String>> secrets = new HashMap<>();

    DatasourcesApi(Ids ids) {
        this.ids = ids;
    }

    ObjectNode add(String uid, String name, String type, String url) {
        ObjectNode ds = F.objectNode().put("id", ids.next()).put("uid", uid).put("orgId", 1).put("name", name)
                .put("type", type).put("typeLogoUrl", "public/app/plugins/datasource/" + type + "/img/logo.svg")
                .put("access", "proxy").put("url", url).put("user", "").put("database", "").put("basicAuth", false)
                .put("basicAuthUser", "").put("withCredentials", false).put("isDefault", false)
                .put("readOnly", false).put("version", 1);
        ds.set("jsonData", F.objectNode());
        ds.set("secureJsonFields", F.objectNode());
        datasources.put(uid, ds);
        return ds;
    }

    Map<String, String> secrets(String uid) {
        return Map.copyOf(secrets.getOrDefault(uid, Map.of()));
    }

    Map<String, JsonNode> all() {
        return new TreeMap<>(datasources);
    }

    void register(Routes routes) {
        routes.add("GET", "/api/datasources", Routes.ALL, Access.READ, c -> list());
        routes.add("GET", "/api/datasources/uid/([^/]+)", Routes.ALL, Access.READ,
                c -> get(datasources.get(c.param(1))));
        routes.add("GET", "/api/datasources/(\\d+)", Line::numericDatasourceIds, Access.READ,
                c -> get(byId(c.param(1))));
        routes.add("POST", "/api/datasources", Routes.ALL, Access.ADMIN, this::create);
        routes.add("PUT", "/api/datasources/uid/([^/]+)", Line::modern, Access.ADMIN,
                c -> update(datasources.get(c.param(1)), c));
        routes.add("PUT", "/api/datasources/(\\d+)", Line::numericDatasourceIds, Access.ADMIN,
                c -> update(byId(c.param(1)), c));
    }

    private Reply list() {
        ArrayNode out = F.arrayNode();
        datasources.values().forEach(ds -> {
            ObjectNode item = ds.deepCopy();
            item.remove(List.of("secureJsonFields", "version", "basicAuthUser", "withCredentials"));
            item.put("typeName", item.path("type").asText());
            out.add(item);
        });
        return ok(out);
    }

    private static Reply get(ObjectNode ds) {
        return ds == null ? error(404, "Data source not found") : ok(ds.deepCopy());
    }

    private Reply create(Call c) {
        String name = c.body().path("name").asText();
        if (datasources.values().stream().anyMatch(ds -> ds.path("name").asText().equals(name))) {
            return error(409, "data source with the same name already exists");
        }
        String uid = c.body().path("uid").asText("");
        if (uid.isEmpty()) {
            uid = "ds" + ids.peek();
        }
        if (datasources.containsKey(uid)) {
            return error(409, "data source with the same uid already exists");
        }
        ObjectNode ds = add(uid, name, c.body().path("type").asText(), c.body().path("url").asText(""));
        apply(ds, c.body());
        return ok(F.objectNode().put("id", ds.path("id").asLong()).put("name", name)
                .put("message", "Datasource added").set("datasource", ds.deepCopy()));
    }

    private ObjectNode byId(String id) {
        return datasources.values().stream().filter(ds -> ds.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    private Reply update(ObjectNode ds, Call c) {
        if (ds == null) {
            return error(404, "Data source not found");
        }
        if (c.body().has("version") && c.body().path("version").asInt() < ds.path("version").asInt()) {
            return error(409, "Datasource has already been updated by someone else. Please reload and try again");
        }
        String oldUid = ds.path("uid").asText();
        apply(ds, c.body());
        ds.put("version", ds.path("version").asInt() + 1);
        if (!ds.path("uid").asText().equals(oldUid)) {
            datasources.remove(oldUid);
            datasources.put(ds.path("uid").asText(), ds);
        }
        return ok(F.objectNode().put("id", ds.path("id").asLong()).put("name", ds.path("name").asText())
                .put("message", "Datasource updated").set("datasource", ds.deepCopy()));
    }

    private void apply(ObjectNode ds, JsonNode body) {
        for (String field : List.of("name", "type", "access", "url", "user", "database", "basicAuth",
                "basicAuthUser", "withCredentials", "isDefault", "jsonData", "uid")) {
            if (body.has(field)) {
                ds.set(field, body.get(field).deepCopy());
            }
        }
        if (body.path("secureJsonData").isObject()) {
            Map<String, String> stored = secrets.computeIfAbsent(ds.path("uid").asText(), k -> new HashMap<>());
            body.get("secureJsonData").fields().forEachRemaining(e -> {
                stored.put(e.getKey(), e.getValue().asText());
                ((ObjectNode) ds.get("secureJsonFields")).put(e.getKey(), true);
            });
        }
    }
}
