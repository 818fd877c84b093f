package dev.prowctl.grafana.fake;

import static dev.prowctl.grafana.fake.Reply.error;
import static dev.prowctl.grafana.fake.Reply.ok;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.fake.FakeGrafana.Line;
import dev.prowctl.grafana.fake.Routes.Access;

/** Folders: flat on 8.4, nested (parentUid, move) from 11 on; versions bumped on update. */
final class FoldersApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Line line;
    private final Ids ids;
    private final Paging paging;
    private final Map<String, ObjectNode> folders = new LinkedHashMap<>();

    FoldersApi(Line line, Ids ids, Paging paging) {
        this.line = line;
        this.ids = ids;
        this.paging = paging;
    }

    void add(String uid, String title, String parentUid) {
        ObjectNode f = F.objectNode().put("id", ids.next()).put("uid", uid).put("title", title).put("version", 1)
                .put("url", "/dashboards/f/" + uid + "/");
        if (parentUid != null && line.modern()) {
            f.put("parentUid", parentUid);
        }
        folders.put(uid, f);
    }

    /** The folder, or null; not a copy. */
    ObjectNode get(String uid) {
        return folders.get(uid);
    }

    boolean exists(String uid) {
        return folders.containsKey(uid);
    }

    /** In creation order; not copies. */
    Collection<ObjectNode> values() {
        return folders.values();
    }

    Map<String, JsonNode> all() {
        return new TreeMap<>(folders);
    }

    void register(Routes routes) {
        routes.add("GET", "/api/folders", Routes.ALL, Access.READ, this::list);
        routes.add("GET", "/api/folders/([^/]+)", Routes.ALL, Access.READ, c -> {
            ObjectNode f = folders.get(c.param(1));
            return f == null ? error(404, "folder not found") : ok(f.deepCopy());
        });
        routes.add("POST", "/api/folders", Routes.ALL, Access.EDIT, this::create);
        routes.add("PUT", "/api/folders/([^/]+)", Routes.ALL, Access.EDIT, this::update);
        routes.add("POST", "/api/folders/([^/]+)/move", Line::modern, Access.EDIT, this::move);
    }

    /** One level of the tree (11+: the children of parentUid, default the root), paged. */
    private Reply list(Call c) {
        String parent = line.modern() ? c.query("parentUid") : "";
        ArrayNode out = F.arrayNode();
        paging.page(folders.values().stream()
                .filter(f -> !line.modern() || f.path("parentUid").asText().equals(parent)), c).forEach(f -> {
            ObjectNode hit = F.objectNode().put("id", f.path("id").asLong()).put("uid", f.path("uid").asText())
                    .put("title", f.path("title").asText());
            if (f.hasNonNull("parentUid")) {
                hit.put("parentUid", f.path("parentUid").asText());
            }
            out.add(hit);
        });
        return ok(out);
    }

    private Reply create(Call c) {
        String uid = c.body().path("uid").asText("");
        if (uid.isEmpty()) {
            uid = "f" + ids.peek();
        }
        if (folders.containsKey(uid)) {
            return error(409, "a folder with the same uid already exists");
        }
        String parent = line.modern() ? c.body().path("parentUid").asText("") : "";
        if (!parent.isEmpty() && !folders.containsKey(parent)) {
            return error(400, "parent folder not found");
        }
        add(uid, c.body().path("title").asText(), parent.isEmpty() ? null : parent);
        return ok(folders.get(uid).deepCopy());
    }

    private Reply update(Call c) {
        ObjectNode f = folders.get(c.param(1));
        if (f == null) {
            return error(404, "folder not found");
        }
        if (!c.body().path("overwrite").asBoolean(false)
                && c.body().path("version").asInt() != f.path("version").asInt()) {
            return error(409, "the folder has been changed by someone else");
        }
        f.put("title", c.body().path("title").asText()).put("version", f.path("version").asInt() + 1);
        return ok(f.deepCopy());
    }

    private Reply move(Call c) {
        ObjectNode f = folders.get(c.param(1));
        if (f == null) {
            return error(404, "folder not found");
        }
        String parent = c.body().path("parentUid").asText("");
        if (parent.isEmpty()) {
            f.remove("parentUid");
        } else {
            f.put("parentUid", parent);
        }
        f.put("version", f.path("version").asInt() + 1);
        return ok(f.deepCopy());
    }
}
