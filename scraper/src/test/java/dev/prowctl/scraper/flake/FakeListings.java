package dev.prowctl.scraper.flake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;

/** How {@link FakeArtifactsServer} lists a bucket directory: as the GCS JSON API does, and as gcsweb renders it. */
final class FakeListings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeListings() {
    }

    /** Direct children of {@code prefix}: files by full name, sub-directories as prefixes ending with /. */
    private static List<String[]> children(NavigableMap<String, String> objects, String prefix) {
        TreeSet<String> dirs = new TreeSet<>();
        List<String[]> result = new ArrayList<>();
        for (String name : objects.tailMap(prefix, true).keySet()) {
            if (!name.startsWith(prefix)) {
                break;
            }
            String rest = name.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                if (dirs.add(prefix + rest.substring(0, slash + 1))) {
                    result.add(new String[] {"dir", prefix + rest.substring(0, slash + 1)});
                }
            } else {
                result.add(new String[] {"file", name});
            }
        }
        return result;
    }

    /**
     * A GCS JSON API object listing page, as its JSON text. Items have {@code name}, {@code size}, {@code updated}
     * and, for an object with custom metadata, {@code "metadata": {"key": "value"}}; a {@code fields} parameter's
     * {@code items(a,b)} keeps only those item fields, as GCS's partial responses do.
     */
    static String api(NavigableMap<String, String> objects, Map<String, Map<String, String>> metadata, HttpUrl url,
                      int pageSize) {
        Set<String> itemFields = itemFields(url.queryParameter("fields"));
        String prefix = url.queryParameter("prefix") == null ? "" : url.queryParameter("prefix");
        String startOffset = url.queryParameter("startOffset");
        String endOffset = url.queryParameter("endOffset");
        List<String[]> all = children(objects, prefix).stream()
                .filter(c -> startOffset == null || c[1].compareTo(startOffset) >= 0)
                .filter(c -> endOffset == null || c[1].compareTo(endOffset) < 0)
                .toList();
        int start = url.queryParameter("pageToken") == null ? 0 : Integer.parseInt(url.queryParameter("pageToken"));
        int end = Math.min(all.size(), start + pageSize);
        ObjectNode page = JSON.createObjectNode();
        page.put("kind", "storage#objects");
        ArrayNode prefixes = JSON.createArrayNode();
        ArrayNode items = JSON.createArrayNode();
        for (String[] child : all.subList(start, end)) {
            if (child[0].equals("dir")) {
                prefixes.add(child[1]);
            } else {
                ObjectNode item = JSON.createObjectNode();
                item.put("name", child[1]);
                item.put("size", String.valueOf(objects.get(child[1]).length()));
                item.put("updated", "2026-11-27T10:00:00.000Z");
                Map<String, String> custom = metadata.get(child[1]);
                if (custom != null) {
                    ObjectNode meta = item.putObject("metadata");
                    custom.forEach(meta::put);
                }
                if (itemFields != null) {
                    item.retain(itemFields);
                }
                items.add(item);
            }
        }
        if (!prefixes.isEmpty()) {
            page.set("prefixes", prefixes);
        }
        if (!items.isEmpty()) {
            page.set("items", items);
        }
        if (end < all.size()) {
            page.put("nextPageToken", String.valueOf(end));
        }
        return page.toString();
    }

    /** The item fields {@code fields=...items(a,b)...} asks for; null: all of them. */
    private static Set<String> itemFields(String fields) {
        if (fields == null) {
            return null;
        }
        Matcher items = Pattern.compile("items\\(([^)]*)\\)").matcher(fields);
        if (!items.find()) {
            return fields.contains("items") ? null : Set.of();
        }
        return Set.of(items.group(1).split(","));
    }

    /** A gcsweb directory page (the HTML gcsweb renders, paged with a next-button marker). */
    static String gcsweb(String bucket, NavigableMap<String, String> objects, String dir, HttpUrl url,
                         int pageSize) {
        List<String[]> all = children(objects, dir);
        String marker = url.queryParameter("marker");
        int start = 0;
        if (marker != null) {
            while (start < all.size() && all.get(start)[1].compareTo(marker) <= 0) {
                start++;
            }
        }
        int end = Math.min(all.size(), start + pageSize);
        StringBuilder html = new StringBuilder("""
                <!doctype html>
                <html>
                <head>
                    <link rel="stylesheet" type="text/css" href="/styles/style.css">
                    <meta charset="utf-8">
                    <title>GCS browser: %s</title>
                </head>
                <body>
                <header>
                    <h1>%s</h1>
                    <h3>/%s/%s</h3>
                </header>
                <ul class="resource-grid">
                <li class="pure-g">
                    <div class="pure-u-2-5 grid-head">Name</div>
                    <div class="pure-u-1-5 grid-head">Size</div>
                    <div class="pure-u-2-5 grid-head">Modified</div>
                </li>
                <li class="pure-g grid-row">
                    <div class="pure-u-2-5"><a href="../"><img src="/icons/back.png"> ..</a></div>
                    <div class="pure-u-1-5">-</div>
                    <div class="pure-u-2-5">-</div>
                </li>
                """.formatted(bucket, bucket, bucket, dir));
        for (String[] child : all.subList(start, end)) {
            String name = child[1].substring(dir.length());
            boolean isDir = child[0].equals("dir");
            html.append("""
                    <li class="pure-g grid-row">
                        <div class="pure-u-2-5"><a href="/gcs/%s/%s"><img src="/icons/%s.png"> %s</a></div>
                        <div class="pure-u-1-5">%s</div>
                        <div class="pure-u-2-5">%s</div>
                    </li>
                    """.formatted(bucket, child[1], isDir ? "dir" : "file", name,
                    isDir ? "-" : String.valueOf(objects.get(child[1]).length()),
                    isDir ? "-" : "Fri, 27 Nov 2026 10:00:00 UTC"));
        }
        html.append("</ul>\n");
        if (end < all.size()) {
            html.append("<a href=\"?marker=").append(all.get(end - 1)[1])
                    .append("\" class=\"pure-button next-button\">Next page</a>\n");
        }
        html.append("</body></html>\n");
        return html.toString();
    }
}
