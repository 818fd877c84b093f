package dev.prowctl.grafana.resources;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.http.TerminalText;

/** File naming and file-content checks shared by the handlers. */
final class ResourceFiles {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    /** The longest file name stem kept as it is; longer ones are cut and hashed. */
    static final int MAX_STEM = 100;

    private ResourceFiles() {
    }

    /**
     * A file name for a uid or name: safe characters kept, others replaced by '_'; when anything was replaced, a
     * short hash of the original keeps two names that differ only in such characters apart. Names longer than
     * {@link #MAX_STEM} are cut and get a hash of the whole name instead, so every file name (and the temp file
     * written beside it) stays far below the 255 bytes file systems allow.
     */
    static String fileName(String id) {
        String safe = UNSAFE.matcher(id).replaceAll("_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        if (safe.length() > MAX_STEM) {
            return safe.substring(0, MAX_STEM) + "-" + digest(id) + ".json";
        }
        if (!safe.equals(id)) {
            safe += "-" + Integer.toHexString(java.util.Arrays.hashCode(id.getBytes(StandardCharsets.UTF_8)));
        }
        return safe + ".json";
    }

    /**
     * The file name for a resource whose {@link #fileName} another resource of its kind already has (two names
     * that map to one file, or differ only in case, which case-insensitive file systems store as one): the name
     * with a hash of {@code distinct} (what tells the two apart) added, so it is stable from one export to the next.
     */
    static String disambiguated(String file, String distinct) {
        String stem = file.substring(0, file.length() - ".json".length());
        return stem + "~" + digest(distinct) + ".json";
    }

    /** The first 12 hex digits of the SHA-256 of {@code text}. */
    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** True when {@code file} lies directly or deeper below {@code directory}. */
    static boolean under(String file, String directory) {
        return file.startsWith(directory + "/");
    }

    /** Whether a uid can name a resource in a URL (see {@link dev.prowctl.grafana.GrafanaClient#segment}). */
    static boolean validUid(String uid) {
        return !uid.isEmpty() && !uid.equals(".") && !uid.equals("..");
    }

    /** A uid as messages show it. */
    static String shownUid(String uid) {
        return uid.isEmpty() ? "with an empty uid" : TerminalText.oneLine(uid);
    }

    /**
     * Refuses a file's uid or name that would be resolved as a dot segment in a URL ("" means "none": matched by
     * name instead, where the kind allows it).
     */
    static String checkedUid(String uid) {
        if (uid.equals(".") || uid.equals("..")) {
            throw new IllegalArgumentException(invalidUid(uid));
        }
        return uid;
    }

    static String invalidUid(String uid) {
        return "invalid uid '" + TerminalText.oneLine(uid) + "' (empty, '.' and '..' cannot name a resource in a URL)";
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
        String shown = TerminalText.oneLine(title);
        return uid == null || uid.isEmpty() ? "\"" + shown + "\"" : TerminalText.oneLine(uid) + " (" + shown + ")";
    }
}
