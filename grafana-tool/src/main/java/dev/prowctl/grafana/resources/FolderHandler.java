package dev.prowctl.grafana.resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.Json;
import dev.prowctl.http.TerminalText;

/**
 * Folders: {@code folders/<uid>.json} holding {@code uid}, {@code title} and, for nested folders (11+),
 * {@code parentUid}. The tree is walked with {@code GET /api/folders?parentUid=} page by page; import creates
 * parents before children.
 */
final class FolderHandler implements ResourceHandler {

    static final int PAGE = 1000;

    private static final KindDescriptor KIND = KindDescriptor.everywhere("folders", "folders");

    @Override
    public KindDescriptor descriptor() {
        return KIND;
    }

    @Override
    public List<Resource> export(GrafanaClient client, Parallel parallel) {
        boolean nested = client.version().hasNestedFolders();
        List<Resource> all = new ArrayList<>();
        List<String> level = new ArrayList<>();
        level.add("");
        Set<String> seen = new HashSet<>();
        while (!level.isEmpty()) {
            List<List<Resource>> children = parallel.map(level, parent -> children(client, parent, seen));
            level = new ArrayList<>();
            for (List<Resource> list : children) {
                for (Resource folder : list) {
                    all.add(folder);
                    if (nested) {
                        level.add(Json.text(folder.body(), "uid"));
                    }
                }
            }
        }
        return all;
    }

    private List<Resource> children(GrafanaClient client, String parentUid, Set<String> seen) {
        List<Resource> folders = new ArrayList<>();
        for (int page = 1; ; page++) {
            var url = client.api("folders").addQueryParameter("limit", Integer.toString(PAGE))
                    .addQueryParameter("page", Integer.toString(page));
            if (!parentUid.isEmpty()) {
                url.addQueryParameter("parentUid", parentUid);
            }
            JsonNode list = client.get(url.build());
            int fresh = 0;
            for (JsonNode f : list) {
                String uid = Json.text(f, "uid");
                synchronized (seen) {
                    if (!seen.add(uid)) {
                        continue; // a server that ignores "page" repeats the first page
                    }
                }
                fresh++;
                ObjectNode body = Json.object().put("uid", uid).put("title", Json.text(f, "title"));
                if (!parentUid.isEmpty()) {
                    body.put("parentUid", parentUid);
                }
                folders.add(new Resource(kind(), ResourceFiles.describe(uid, Json.text(f, "title")),
                        directory() + "/" + ResourceFiles.fileName(uid), body));
            }
            // A short page does not prove the end (a server may cap "limit" lower): stop on a page with nothing new.
            if (list.isEmpty() || fresh == 0) {
                return folders;
            }
        }
    }

    @Override
    public Resource prepare(String file, JsonNode content) {
        if (!ResourceFiles.under(file, directory())) {
            return null;
        }
        ResourceFiles.requireObject(content);
        String uid = ResourceFiles.checkedUid(ResourceFiles.requireText(content, "uid"));
        String title = ResourceFiles.requireText(content, "title");
        ObjectNode body = Json.object().put("uid", uid).put("title", title);
        if (!Json.text(content, "parentUid").isEmpty()) {
            body.put("parentUid", Json.text(content, "parentUid"));
        }
        return new Resource(kind(), ResourceFiles.describe(uid, title), file, body);
    }

    /** Parents first: depth 0 (no parent in the set), then their children, and so on. */
    @Override
    public List<List<Resource>> stages(List<Resource> resources) {
        Map<String, Resource> byUid = new HashMap<>();
        resources.forEach(r -> byUid.put(Json.text(r.body(), "uid"), r));
        Map<Integer, List<Resource>> byDepth = new java.util.TreeMap<>();
        for (Resource r : resources) {
            int depth = 0;
            Set<String> path = new HashSet<>();
            for (Resource at = r; at != null && path.add(Json.text(at.body(), "uid")); depth++) {
                at = byUid.get(Json.text(at.body(), "parentUid"));
            }
            byDepth.computeIfAbsent(depth, d -> new ArrayList<>()).add(r);
        }
        return new ArrayList<>(byDepth.values());
    }

    @Override
    public Action importResource(Resource resource, ImportContext context) {
        GrafanaClient client = context.client();
        String uid = Json.text(resource.body(), "uid");
        String title = Json.text(resource.body(), "title");
        String parentUid = Json.text(resource.body(), "parentUid");
        boolean nested = client.version().hasNestedFolders();
        if (!nested && !parentUid.isEmpty()) {
            context.warnings().accept(resource.file() + ": Grafana " + client.version()
                    + " has no nested folders; '" + TerminalText.oneLine(title) + "' goes to the top level");
            parentUid = "";
        }
        JsonNode existing = client.getOrNull(client.api("folders", uid).build());
        if (existing == null) {
            if (!context.dryRun()) {
                ObjectNode body = Json.object().put("uid", uid).put("title", title);
                if (!parentUid.isEmpty()) {
                    body.put("parentUid", parentUid);
                }
                client.post(client.api("folders").build(), body);
            }
            return Action.CREATE;
        }
        boolean retitle = !title.equals(Json.text(existing, "title"));
        boolean move = nested && !parentUid.equals(Json.text(existing, "parentUid"));
        if (!retitle && !move) {
            return Action.UNCHANGED;
        }
        if (!context.dryRun()) {
            if (retitle) {
                client.put(client.api("folders", uid).build(), Json.object().put("title", title)
                        .put("version", existing.path("version").asInt()).put("overwrite", true));
            }
            if (move) {
                ObjectNode body = Json.object();
                if (!parentUid.isEmpty()) {
                    body.put("parentUid", parentUid);
                }
                client.post(client.api("folders", uid, "move").build(), body);
            }
        }
        return Action.UPDATE;
    }
}
