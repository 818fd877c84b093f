package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaException;
import dev.prowctl.grafana.Json;

/**
 * Dashboards: {@code dashboards/<uid>.json} holding {@code {"dashboard": {...}, "folderUid": "..."}} (no folder
 * uid: the General folder). {@code id}, {@code version} and {@code iteration} are stripped, {@code uid} kept.
 * Found with a paged {@code GET /api/search?type=dash-db}, read with {@code GET /api/dashboards/uid/{uid}}, saved
 * with {@code POST /api/dashboards/db} and {@code folderUid} (never {@code folderId}: 13 ignores it). Also reads
 * the original Python export's {@code <name>.dashboard.json}, which has no uid: those are matched by title.
 */
final class DashboardHandler implements ResourceHandler {

    static final int SEARCH_PAGE = 5000;
    private static final String[] VOLATILE = {"id", "version", "iteration"};

    private static final KindDescriptor KIND = KindDescriptor.everywhere("dashboards", "dashboards");

    @Override
    public KindDescriptor descriptor() {
        return KIND;
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        List<String> uids = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode hits = client.get(client.api("search").addQueryParameter("type", "dash-db")
                    .addQueryParameter("limit", Integer.toString(SEARCH_PAGE))
                    .addQueryParameter("page", Integer.toString(page)).build());
            int fresh = 0;
            for (JsonNode hit : hits) {
                String uid = Json.text(hit, "uid");
                if (!uids.contains(uid)) {
                    uids.add(uid);
                    fresh++;
                }
            }
            // A short page does not prove the end (a server may cap "limit" lower): stop on a page with nothing new.
            if (hits.isEmpty() || fresh == 0) {
                break;
            }
        }
        return parallel.map(uids, uid -> ListedItem.read(client, kind(), "dashboards", uid, full -> {
            ObjectNode body = Json.object();
            body.set("dashboard", Json.without(full.path("dashboard"), VOLATILE));
            body.put("folderUid", Json.text(full.path("meta"), "folderUid"));
            return new Resource(kind(), ResourceFiles.describe(uid, Json.text(full.path("dashboard"), "title")),
                    directory() + "/" + ResourceFiles.fileName(uid), body);
        }));
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!ResourceFiles.under(file, directory()) && !file.endsWith(".dashboard.json")) {
            return null;
        }
        ResourceFiles.requireObject(content);
        // Our files and the original exporter's wrap the model in "dashboard"; a bare model is accepted too.
        JsonNode model = content.has("dashboard") ? content.get("dashboard") : content;
        if (!model.isObject()) {
            throw new IllegalArgumentException("\"dashboard\" is not an object");
        }
        String title = ResourceFiles.requireText(model, "title");
        ResourceFiles.checkedUid(Json.text(model, "uid"));
        ObjectNode body = Json.object();
        body.set("dashboard", Json.without(model, VOLATILE));
        body.put("folderUid", Json.text(content, "folderUid"));
        return new Resource(kind(), ResourceFiles.describe(Json.text(model, "uid"), title), file, body);
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        ObjectNode wanted = (ObjectNode) resource.body().get("dashboard").deepCopy();
        String folderUid = Json.text(resource.body(), "folderUid");
        String uid = Json.text(wanted, "uid");
        JsonNode existing;
        if (uid.isEmpty()) {
            existing = findByTitle(client, Json.text(wanted, "title"), folderUid);
            if (existing != null) {
                wanted.put("uid", Json.text(existing.path("dashboard"), "uid"));
            }
        } else {
            existing = client.getOrNull(client.api("dashboards", "uid", uid).build());
        }
        Action action;
        if (existing == null) {
            action = Action.CREATE;
        } else {
            JsonNode current = Json.without(existing.path("dashboard"), VOLATILE);
            boolean same = Json.numericAwareEquals(current, wanted)
                    && folderUid.equals(Json.text(existing.path("meta"), "folderUid"));
            if (same) {
                return Action.UNCHANGED;
            }
            action = Action.UPDATE;
        }
        if (!context.dryRun()) {
            ObjectNode save = Json.object();
            save.set("dashboard", wanted);
            save.put("folderUid", folderUid);
            // Overwrite only our own uid: on create it would make Grafana silently replace a same-titled dashboard
            // with another uid, and the imported uid would never exist.
            save.put("overwrite", action == Action.UPDATE);
            save.put("message", "prowctl grafana import");
            try {
                client.post(client.api("dashboards", "db").build(), save);
            } catch (GrafanaException e) {
                if (action == Action.CREATE && e.status() == 412) {
                    throw new GrafanaException(e.problem(), e.status(), "cannot create dashboard " + uid + " \""
                            + Json.text(wanted, "title") + "\": a dashboard with that title but another uid exists in "
                            + (folderUid.isEmpty() ? "the General folder" : "folder " + folderUid)
                            + "; rename or delete it, or give the file its uid", e);
                }
                throw e;
            }
        }
        return action;
    }

    /** A dashboard with exactly this title in that folder (original-format files carry no uid). */
    private static JsonNode findByTitle(GrafanaClient client, String title, String folderUid) {
        JsonNode hits = client.get(client.api("search").addQueryParameter("type", "dash-db")
                .addQueryParameter("query", title).build());
        for (JsonNode hit : hits) {
            if (title.equals(Json.text(hit, "title")) && folderUid.equals(Json.text(hit, "folderUid"))) {
                return client.getOrNull(client.api("dashboards", "uid", Json.text(hit, "uid")).build());
            }
        }
        return null;
    }
}
