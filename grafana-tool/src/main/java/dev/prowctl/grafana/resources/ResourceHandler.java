package dev.prowctl.grafana.resources;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaVersion;

/**
 * One kind of Grafana resource (datasource, folder, dashboard, ...): how to export it to files, how to read such a
 * file back ({@link #prepare}), and how to import it idempotently ({@link #importResource}: compare with the server,
 * write only what differs). Adding a kind is adding one implementation to {@link ResourceKinds}.
 */
public interface ResourceHandler {

    /** The kind's name, also its --kinds value and (mostly) its directory: "dashboards". */
    String kind();

    /** The directory below the export root that holds this kind's files. */
    String directory();

    /** Whether this Grafana version has the kind (legacy alert notifications: 8.x; contact points: 9+). */
    boolean supportedBy(GrafanaVersion version);

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
