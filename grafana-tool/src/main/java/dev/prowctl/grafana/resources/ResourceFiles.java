package dev.prowctl.grafana.resources;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** File naming and file-content checks shared by the handlers. */
final class ResourceFiles {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private ResourceFiles() {
    }

    /**
     * A file name for a uid or name: safe characters kept, others replaced by '_'; when anything was replaced, a
     * short hash of the original keeps two names that differ only in such characters apart.
     */
    static String fileName(String id) {
        String safe = UNSAFE.matcher(id).replaceAll("_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        if (!safe.equals(id)) {
            safe += "-" + Integer.toHexString(java.util.Arrays.hashCode(id.getBytes(StandardCharsets.UTF_8)));
        }
        return safe + ".json";
    }

    /** True when {@code file} lies directly or deeper below {@code directory}. */
    static boolean under(String file, String directory) {
        return file.startsWith(directory + "/");
    }

    /** The top-level text field, or a malformed-file error naming it. */
    static String requireText(JsonNode content, String field) {
        JsonNode value = content.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("missing or empty \"" + field + "\"");
        }
        return value.asText();
    }

    static void requireObject(JsonNode content) {
        if (!content.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
    }

    /** "uid (title)" or just the title when there is no uid. */
    static String describe(String uid, String title) {
        return uid == null || uid.isEmpty() ? "\"" + title + "\"" : uid + " (" + title + ")";
    }
}
