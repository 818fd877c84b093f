package dev.prowctl.grafana.resources;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;

/**
 * One kind of Grafana resource (datasource, folder, dashboard, ...): what it is ({@link #descriptor}), how to export
 * it to files, how to read such a file back ({@link #prepare}), and how to import it idempotently
 * ({@link #importResource}: compare with the server, write only what differs). Adding a kind is adding one
 * implementation to {@link ResourceKinds}; the {@link Exporter} and {@link Importer} know no kind by name.
 */
public interface ResourceHandler {

    KindDescriptor descriptor();

    /** The kind's name, also its --kinds value and (mostly) its directory: "dashboards". */
    default String kind() {
        return descriptor().name();
    }

    /** The directory below the export root that holds this kind's files. */
    default String directory() {
        return descriptor().directory();
    }

    /** Whether this Grafana version has the kind (contact points: 9+). */
    default boolean supportedBy(GrafanaVersion version) {
        return descriptor().supportedBy(version);
    }

    /** Why this kind is not exported from {@code version}, or null when it is. */
    default String exportSkipped(GrafanaVersion version) {
        return descriptor().skipReason(version);
    }

    /** Whether a file of this kind's directory (a bare name such as "a.json") is one of this kind's files. */
    default boolean ownsFile(String name) {
        return name.endsWith(".json") && !name.startsWith(".");
    }

    /** Reads every resource of this kind from Grafana, volatile fields stripped. */
    List<Resource> export(GrafanaClient client, Parallel parallel);

    /**
     * Turns a file's content into a resource, or returns null when the file is not this kind's.
     *
     * @param file    the path relative to the export root, '/'-separated
     * @throws IllegalArgumentException when it is this kind's file but malformed (the message says what is wrong)
     */
    Resource prepare(String file, JsonNode content);

    /**
     * Groups resources into stages that must be imported one after another (folders: parents first); items of a
     * stage may be imported concurrently.
     */
    default List<List<Resource>> stages(List<Resource> resources) {
        return resources.isEmpty() ? List.of() : List.of(resources);
    }

    /**
     * Compares {@code resource} with the server and creates or updates it when it differs (unless
     * {@code context.dryRun()}).
     *
     * @return what was (or would be) done
     */
    Action importResource(Resource resource, ImportContext context);
}
