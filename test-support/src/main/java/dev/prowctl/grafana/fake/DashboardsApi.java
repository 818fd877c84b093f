package dev.prowctl.grafana.fake;

import static dev.prowctl.grafana.fake.Reply.error;
import static dev.prowctl.grafana.fake.Reply.ok;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.fake.FakeGrafana.Line;
import dev.prowctl.grafana.fake.Routes.Access;

/** Dashboards and /api/search: saved by folderUid (or folderId before 13), 412 on a name or version conflict. */
final class DashboardsApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Line line;
    private final Ids ids;
    private final Paging paging;
    private final FoldersApi folders;
    private final Map<String, ObjectNode> dashboards = new TreeMap<>();
    private final Map<String, ObjectNode> dashboardMeta = new TreeMap<>();

    DashboardsApi(Line line, Ids ids, Paging paging, FoldersApi folders) {
        this.line = line;
        this.ids = ids;
        this.paging = paging;
        this.folders = folders;
    }

    void add(String uid, String title, String folderUid, ObjectNode extra) {
        ObjectNode d = extra == null ? F.objectNode() : extra.deepCopy();
        d.put("uid", uid).put("title", title).put("id", ids.next()).put("version", 1).put("schemaVersion", 39);
        if (!d.has("panels")) {
            d.set("panels", F.arrayNode().add(F.objectNode().put("id", 1).put("type", "timeseries")
                    .put("title", "runs of " + title)));
        }
        dashboards.put(uid, d);
        dashboardMeta.put(uid, F.objectNode().put("folderUid", folderUid == null ? "" : folderUid));
    }

    void remove(String uid) {
        dashboards.remove(uid);
        dashboardMeta.remove(uid);
    }

    /** Each dashboard as {@code {"dashboard": ..., "folderUid": ...}}, by uid. */
    Map<String, JsonNode> all() {
        Map<String, JsonNode> out = new TreeMap<>();
        dashboards.forEach((uid, d) -> out.put(uid, F.objectNode().<ObjectNode>set("dashboard", d.deepCopy())
                .put("folderUid", folderOf(uid))));
        return out;
    }

    void register(Routes routes) {
        routes.add("GET", "/api/search", Routes.ALL, Access.READ, this::search);
        routes.add("GET", "/api/dashboards/uid/([^/]+)", Routes.ALL, Access.READ, this::get);
        routes.add("POST", "/api/dashboards/db", Routes.ALL, Access.EDIT, this::save);
    }

    private String folderOf(String uid) {
        return dashboardMeta.get(uid).path("folderUid").asText();
    }

    private Reply get(Call c) {
        ObjectNode d = dashboards.get(c.param(1));
        if (d == null) {
            return error(404, "Dashboard not found");
        }
        ObjectNode meta = dashboardMeta.get(c.param(1)).deepCopy();
        String folderUid = meta.path("folderUid").asText();
        meta.put("slug", slug(d.path("title").asText())).put("version", d.path("version").asInt())
                .put("provisioned", false).put("folderTitle", folderUid.isEmpty() ? "General"
                        : folders.get(folderUid).path("title").asText())
                .put("url", "/d/" + c.param(1) + "/" + slug(d.path("title").asText()));
        if (!line.modern()) {
            meta.put("folderId", folderUid.isEmpty() ? 0 : folders.get(folderUid).path("id").asLong());
        }
        return ok(F.objectNode().<ObjectNode>set("dashboard", d.deepCopy()).set("meta", meta));
    }

    /** Folders and dashboards whose title contains {@code query}, by title, paged. */
    private Reply search(Call c) {
        String type = c.query("type");
        String query = c.query("query").toLowerCase(Locale.ROOT);
        List<ObjectNode> hits = new ArrayList<>();
        if (type.isEmpty() || type.equals("dash-folder")) {
            folders.values().forEach(f -> hits.add(F.objectNode().put("id", f.path("id").asLong())
                    .put("uid", f.path("uid").asText()).put("title", f.path("title").asText())
                    .put("type", "dash-folder").put("url", "/dashboards/f/" + f.path("uid").asText())));
        }
        if (type.isEmpty() || type.equals("dash-db")) {
            dashboards.forEach((uid, d) -> {
                String folderUid = folderOf(uid);
                ObjectNode hit = F.objectNode().put("id", d.path("id").asLong()).put("uid", uid)
                        .put("title", d.path("title").asText()).put("type", "dash-db")
                        .put("uri", "db/" + slug(d.path("title").asText()))
                        .put("url", "/d/" + uid + "/" + slug(d.path("title").asText()));
                hit.set("tags", F.arrayNode());
                if (!folderUid.isEmpty()) {
                    hit.put("folderUid", folderUid).put("folderTitle", folders.get(folderUid).path("title").asText())
                            .put("folderId", folders.get(folderUid).path("id").asLong());
                }
                hits.add(hit);
            });
        }
        ArrayNode out = F.arrayNode();
        paging.page(hits.stream().filter(h -> h.path("title").asText().toLowerCase(Locale.ROOT).contains(query))
                .sorted(Comparator.comparing(h -> h.path("title").asText())), c).forEach(out::add);
        return ok(out);
    }

    private Reply save(Call c) {
        JsonNode body = c.body();
        if (body == null || !body.path("dashboard").isObject()) {
            return error(400, "bad request data");
        }
        ObjectNode d = ((ObjectNode) body.get("dashboard")).deepCopy();
        String folderUid = body.path("folderUid").asText("");
        if (folderUid.isEmpty() && body.has("folderId") && line.acceptsFolderId()) {
            long folderId = body.path("folderId").asLong();
            folderUid = folders.values().stream().filter(f -> f.path("id").asLong() == folderId)
                    .map(f -> f.path("uid").asText()).findFirst().orElse("");
        }
        if (!folderUid.isEmpty() && !folders.exists(folderUid)) {
            return error(400, "folder not found");
        }
        boolean overwrite = body.path("overwrite").asBoolean(false);
        String uid = d.path("uid").asText("");
        String title = d.path("title").asText("");
        final String targetFolder = folderUid;
        final String givenUid = uid;
        String sameTitle = dashboards.entrySet().stream()
                .filter(e -> e.getValue().path("title").asText().equals(title)
                        && folderOf(e.getKey()).equals(targetFolder) && !e.getKey().equals(givenUid))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        ObjectNode existing = uid.isEmpty() ? null : dashboards.get(uid);
        if (!overwrite) {
            if (sameTitle != null) {
                return new Reply(412, F.objectNode().put("message",
                        "A dashboard with the same name in the folder already exists").put("status", "name-exists"));
            }
            if (existing != null && d.path("version").asInt(-1) != existing.path("version").asInt()) {
                return new Reply(412, F.objectNode().put("message",
                        "The dashboard has been changed by someone else").put("status", "version-mismatch"));
            }
        } else if (sameTitle != null && existing == null) {
            dashboards.remove(sameTitle);
            dashboardMeta.remove(sameTitle);
        }
        if (uid.isEmpty()) {
            uid = "gen" + ids.peek();
            d.put("uid", uid);
        }
        int version = existing == null ? 1 : existing.path("version").asInt() + 1;
        long id = existing == null ? ids.next() : existing.path("id").asLong();
        d.put("id", id).put("version", version);
        dashboards.put(uid, d);
        dashboardMeta.put(uid, F.objectNode().put("folderUid", folderUid));
        ObjectNode out = F.objectNode().put("id", id).put("uid", uid).put("status", "success")
                .put("title", title).put("version", version).put("url", "/d/" + uid + "/" + slug(title));
        if (!folderUid.isEmpty()) {
            out.put("folderUid", folderUid);
        }
        return ok(out);
    }

    private static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
