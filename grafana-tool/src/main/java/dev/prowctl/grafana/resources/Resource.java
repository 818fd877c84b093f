package dev.prowctl.grafana.resources;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Grafana resource as it lives in an export directory.
 *
 * @param kind     the handler's kind ("dashboards", "datasources", ...)
 * @param name     how to name it to people: uid and title/name
 * @param file     the file it was read from or is written to, relative to the export directory ('/'-separated)
 * @param body     the content: what the file holds, without volatile fields
 * @param warnings things the user should know about this item (e.g. an ignored plaintext password)
 * @param skip     non-null when export found the item but could not read it (then file and body are null)
 */
public record Resource(String kind, String name, String file, ObjectNode body, List<String> warnings, Skip skip) {

    /** Why a listed item was not exported: it vanished meanwhile (a warning), or its uid is invalid (an error). */
    public record Skip(boolean invalid, String reason) {
    }

    public Resource {
        warnings = List.copyOf(warnings);
    }

    public Resource(String kind, String name, String file, ObjectNode body, List<String> warnings) {
        this(kind, name, file, body, warnings, null);
    }

    public Resource(String kind, String name, String file, ObjectNode body) {
        this(kind, name, file, body, List.of(), null);
    }

    /** A listed item that was deleted before it could be read (404 between the list and the read). */
    static Resource vanished(String kind, String name, String what) {
        return new Resource(kind, name, null, null, List.of(), new Skip(false, kind + " " + name
                + " was deleted while exporting (" + what + " → 404); skipped"));
    }

    /** A listed item whose uid cannot be used in a URL ("", ".", ".."). */
    static Resource invalid(String kind, String name, String why) {
        return new Resource(kind, name, null, null, List.of(), new Skip(true, kind + " " + name + ": " + why));
    }
}
