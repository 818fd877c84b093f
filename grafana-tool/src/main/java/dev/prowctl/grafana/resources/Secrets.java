package dev.prowctl.grafana.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.grafana.Json;
import dev.prowctl.http.TerminalText;

/**
 * Datasource secrets for import (an export never holds them). Looked up per datasource and secure field:
 * <ol>
 *   <li>the secrets file: {@code {"<datasource name or uid>": {"password": "...", "basicAuthPassword": "..."}}};</li>
 *   <li>the environment: {@code GRAFANA_SECRET_<NAME>_<FIELD>}, where NAME is the datasource name and FIELD the
 *   secure field, both upper-cased with every other character than A-Z and 0-9 turned into '_'
 *   (datasource "Google Sheets", field "apiKey" → {@code GRAFANA_SECRET_GOOGLE_SHEETS_APIKEY}).</li>
 * </ol>
 */
public final class Secrets {

    private final Map<String, Map<String, String>> file;
    private final Map<String, String> env;

    public Secrets(Map<String, Map<String, String>> file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    public static Secrets none() {
        return new Secrets(Map.of(), Map.of());
    }

    /**
     * Reads a secrets file.
     *
     * @throws IllegalArgumentException when it is not a JSON object of objects of strings
     */
    public static Secrets load(Path secretsFile, Map<String, String> env) throws IOException {
        Map<String, Map<String, String>> file = new HashMap<>();
        if (secretsFile != null) {
            JsonNode root = Json.parseSecret(Files.readAllBytes(secretsFile));
            if (!root.isObject()) {
                throw new IllegalArgumentException("expected a JSON object {\"<datasource>\": {\"<field>\": \"<secret>\"}}");
            }
            for (var it = root.fields(); it.hasNext(); ) {
                var entry = it.next();
                if (!entry.getValue().isObject()) {
                    throw new IllegalArgumentException("the entry for '" + TerminalText.oneLine(entry.getKey())
                            + "' is not an object of fields");
                }
                Map<String, String> fields = new HashMap<>();
                entry.getValue().fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
                file.put(entry.getKey(), fields);
            }
        }
        return new Secrets(file, env);
    }

    /** The secret for one secure field of a datasource, from the file (by name, then uid) or the environment. */
    public Optional<String> find(String datasourceName, String datasourceUid, String field) {
        for (String key : new String[] {datasourceName, datasourceUid}) {
            Map<String, String> fields = key == null ? null : file.get(key);
            if (fields != null && fields.containsKey(field)) {
                return Optional.of(fields.get(field));
            }
        }
        return Optional.ofNullable(env.get(envName(datasourceName, field)));
    }

    /** All secrets the file gives for a datasource (fields the export did not mark may be added this way). */
    public Map<String, String> fileEntries(String datasourceName, String datasourceUid) {
        Map<String, String> all = new HashMap<>();
        if (datasourceUid != null && file.containsKey(datasourceUid)) {
            all.putAll(file.get(datasourceUid));
        }
        if (datasourceName != null && file.containsKey(datasourceName)) {
            all.putAll(file.get(datasourceName));
        }
        return all;
    }

    /** {@code GRAFANA_SECRET_<NAME>_<FIELD>} for a datasource name and a secure field. */
    public static String envName(String datasourceName, String field) {
        return "GRAFANA_SECRET_" + upper(datasourceName) + "_" + upper(field);
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
