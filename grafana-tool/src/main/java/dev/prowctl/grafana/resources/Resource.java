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
 */
public record Resource(String kind, String name, String file, ObjectNode body, List<String> warnings) {

    public Resource {
        warnings = List.copyOf(warnings);
    }

    public Resource(String kind, String name, String file, ObjectNode body) {
        this(kind, name, file, body, List.of());
    }
}
