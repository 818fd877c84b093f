package dev.prowctl.grafana.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.prowctl.grafana.AtomicFiles;
import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaException;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/**
 * Writes every resource of the chosen kinds to one canonical JSON file each (see {@link Json#canonicalBytes}).
 * Unchanged files are not rewritten; files of a kind's directory that no longer match a resource are removed, so
 * the directory mirrors Grafana and {@code git status} shows exactly what changed.
 */
public final class Exporter {

    /** What happened to one kind. {@code skipped} is non-null when this Grafana version lacks the kind. */
    public record Summary(String kind, int exported, int changed, int removed, String skipped) {
    }

    private final GrafanaClient client;
    private final Parallel parallel;

    public Exporter(GrafanaClient client, Parallel parallel) {
        this.client = client;
        this.parallel = parallel;
    }

    public List<Summary> export(Path dir, List<ResourceHandler> handlers) throws IOException {
        GrafanaVersion version = client.version();
        List<Summary> summaries = new ArrayList<>();
        for (ResourceHandler handler : handlers) {
            String skipped = handler.exportSkipped(version);
            if (skipped != null) {
                summaries.add(new Summary(handler.kind(), 0, 0, 0, skipped));
                continue;
            }
            List<Resource> resources;
            try {
                resources = handler.export(client, parallel);
            } catch (GrafanaException e) {
                if (e.status() != 404) {
                    throw e;
                }
                // The version should have it, but the feature is off (e.g. [unified_alerting] enabled = false).
                summaries.add(new Summary(handler.kind(), 0, 0, 0, "Grafana " + version + " answered 404 ("
                        + e.getMessage() + "); is the feature disabled?"));
                continue;
            }
            int changed = 0;
            Set<Path> written = new HashSet<>();
            for (Resource r : resources) {
                Path file = dir.resolve(r.file());
                if (!written.add(file.normalize())) {
                    throw new IllegalStateException("two " + r.kind() + " map to the same file " + r.file());
                }
                if (AtomicFiles.writeIfChanged(file, Json.canonicalBytes(r.body()))) {
                    changed++;
                }
            }
            int removed = removeStale(dir.resolve(handler.directory()), written, handler);
            summaries.add(new Summary(handler.kind(), resources.size(), changed, removed, null));
        }
        return summaries;
    }

    /** Deletes this kind's *.json files that no resource was written to (deleted in Grafana since last export). */
    private static int removeStale(Path kindDir, Set<Path> written, ResourceHandler handler) throws IOException {
        if (!Files.isDirectory(kindDir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(kindDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (handler.ownsFile(name) && !written.contains(f.normalize())) {
                    Files.delete(f);
                    removed++;
                }
            }
        }
        return removed;
    }
}
