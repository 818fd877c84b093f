package dev.prowctl.grafana.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.grafana.GrafanaClient;
import dev.prowctl.grafana.GrafanaException;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;
import dev.prowctl.http.AtomicFiles;

/**
 * Writes every resource of the chosen kinds to one canonical JSON file each (see {@link Json#canonicalBytes}).
 * Unchanged files are not rewritten; files of a kind's directory that no longer match a resource are removed, so
 * the directory mirrors Grafana and {@code git status} shows exactly what changed. Only files an export could have
 * written are removed (canonical JSON of that kind), and no symbolic link below the directory is followed
 * ({@link ExportDir}).
 */
public final class Exporter {

    /**
     * What happened to one kind. {@code skipped} is non-null when this Grafana version lacks the kind;
     * {@code warnings} name items deleted while exporting, {@code invalid} items whose uid cannot be read.
     */
    public record Summary(String kind, int exported, int changed, int removed, String skipped, List<String> warnings,
                          List<String> invalid) {
        public Summary(String kind, int exported, int changed, int removed, String skipped) {
            this(kind, exported, changed, removed, skipped, List.of(), List.of());
        }
    }

    private final GrafanaClient client;
    private final Parallel parallel;

    public Exporter(GrafanaClient client, Parallel parallel) {
        this.client = client;
        this.parallel = parallel;
    }

    /**
     * @throws ExportDir.LinkRefused when a symbolic link lies where export would write or clean up
     */
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
            summaries.add(write(dir, handler, resources));
        }
        return summaries;
    }

    private static Summary write(Path dir, ResourceHandler handler, List<Resource> resources) throws IOException {
        List<String> warnings = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<Resource> readable = new ArrayList<>();
        for (Resource r : resources) {
            if (r.skip() == null) {
                readable.add(r);
            } else {
                (r.skip().invalid() ? invalid : warnings).add(r.skip().reason());
            }
        }
        int changed = 0;
        Set<Path> written = new HashSet<>();
        for (var entry : uniqueFiles(readable).entrySet()) {
            Path file = ExportDir.resolve(dir, entry.getKey());
            written.add(file);
            if (AtomicFiles.writeIfChanged(file, Json.canonicalBytes(entry.getValue().body()))) {
                changed++;
            }
        }
        int removed = removeStale(dir, written, handler);
        return new Summary(handler.kind(), readable.size(), changed, removed, null, warnings, invalid);
    }

    /**
     * Each resource's file, made unique: when several map to one file (compared case-insensitively, as macOS and
     * Windows store names), the first by name keeps it and the others get a stable hashed variant.
     */
    private static Map<String, Resource> uniqueFiles(List<Resource> resources) {
        List<Resource> ordered = new ArrayList<>(resources);
        ordered.sort(Comparator.comparing(Resource::name));
        Map<String, Resource> byFile = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (Resource r : ordered) {
            String file = r.file();
            for (int n = 2; taken.contains(file.toLowerCase(Locale.ROOT)); n++) {
                file = ResourceFiles.disambiguated(r.file(), n == 2 ? r.name() : r.name() + "#" + n);
            }
            taken.add(file.toLowerCase(Locale.ROOT));
            byFile.put(file, r);
        }
        return byFile;
    }

    /**
     * Deletes this kind's files that no resource was written to (deleted in Grafana since the last export), but only
     * those an export could have written: a regular file (not a link) holding canonical JSON that the kind reads.
     */
    private static int removeStale(Path dir, Set<Path> written, ResourceHandler handler) throws IOException {
        Path kindDir = ExportDir.resolve(dir, handler.directory());
        if (!Files.isDirectory(kindDir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        List<Path> files;
        try (Stream<Path> list = Files.list(kindDir)) {
            files = list.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path f : files) {
            if (handler.ownsFile(f.getFileName().toString()) && !written.contains(f)
                    && writtenByExport(dir.relativize(f).toString().replace('\\', '/'), f, handler)) {
                Files.delete(f);
                removed++;
            }
        }
        return removed;
    }

    private static boolean writtenByExport(String relative, Path file, ResourceHandler handler) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            JsonNode content = Json.parse(bytes);
            return Arrays.equals(Json.canonicalBytes(content), bytes) && handler.prepare(relative, content) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
