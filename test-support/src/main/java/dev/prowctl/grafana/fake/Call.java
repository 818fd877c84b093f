package dev.prowctl.grafana.fake;

import java.util.Map;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;

/** What a route's handler gets: the path parameters, the query, the parsed body, the caller's role and headers. */
record Call(Matcher path, HttpUrl url, JsonNode body, String role, Map<String, String> headers) {

    String param(int i) {
        return path.group(i);
    }

    /** A query parameter, or "" when absent. */
    String query(String name) {
        String v = url.queryParameter(name);
        return v == null ? "" : v;
    }

    /** Without X-Disable-Provenance the resource becomes API-provisioned (read-only in the UI). */
    String provenance() {
        String header = headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("X-Disable-Provenance")).map(Map.Entry::getValue)
                .findFirst().orElse("");
        return header.equals("true") ? "" : "api";
    }
}
