package dev.prowctl.grafana.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.prowctl.grafana.GrafanaException;
import dev.prowctl.grafana.GrafanaVersion;
import dev.prowctl.grafana.Json;

/**
 * Imports an export directory: reads and checks every file first (a malformed file stops the import before any
 * write), then imports kind by kind in dependency order, each kind's stages one after another and the items of a
 * stage concurrently. A failing item is reported and the rest continue; only an unreachable server, a rejected
 * credential (401) or a programming error (any other runtime exception, propagated as it is) stops everything.
 */
public final class Importer {

    /** The result for one resource: an action, or the one-line error that stopped it. */
    public record Outcome(Resource resource, Action action, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** The files of an export directory, read and checked. */
    public record Loaded(Map<ResourceHandler, List<Resource>> byHandler, List<String> ignored) {
        public int size() {
            return byHandler.values().stream().mapToInt(List::size).sum();
        }
    }

    /** Thrown by {@link #load} when files are malformed; the message names each file and what is wrong. */
    public static final class MalformedFiles extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final List<String> problems;

        MalformedFiles(List<String> problems) {
            super(problems.size() == 1 ? problems.get(0)
                    : problems.size() + " malformed files: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private final Parallel parallel;

    public Importer(Parallel parallel) {
        this.parallel = parallel;
    }

    /**
     * Reads every {@code *.json} file below {@code dir} (hidden files skipped), in path order, and gives each to the
     * first handler that recognises it.
     *
     * @throws MalformedFiles when any recognised file is not valid JSON or lacks what its kind needs, or any entry
     *                        below {@code dir} is a symbolic link (refused, never followed)
     */
    public static Loaded load(Path dir, List<ResourceHandler> handlers) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir + " (not a directory)");
        }
        Map<ResourceHandler, List<Resource>> byHandler = new LinkedHashMap<>();
        handlers.forEach(h -> byHandler.put(h, new ArrayList<>()));
        List<String> ignored = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Path> files;
        List<Path> links;
        // --dir itself may be a link (walk would not enter it); nothing below it may
        Path root = dir.toRealPath();
        try (Stream<Path> walk = Files.walk(root)) {
            // walk does not follow links; each one found is refused, whatever it points to
            List<Path> all = walk.toList();
            links = all.stream().filter(p -> !p.equals(root) && Files.isSymbolicLink(p)).sorted().toList();
            files = all.stream().filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        for (Path link : links) {
            problems.add(new ExportDir.LinkRefused(dir.resolve(root.relativize(link))).getMessage());
        }
        for (Path path : files) {
            String rel = root.relativize(path).toString().replace('\\', '/');
            JsonNode content;
            try {
                content = Json.parse(Files.readAllBytes(path));
            } catch (IllegalArgumentException e) {
                problems.add(rel + ": " + e.getMessage());
                continue;
            }
            boolean taken = false;
            for (ResourceHandler handler : handlers) {
                try {
                    Resource r = handler.prepare(rel, content);
                    if (r != null) {
                        byHandler.get(handler).add(r);
                        taken = true;
                        break;
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(rel + ": not a valid " + handler.kind() + " file: " + e.getMessage());
                    taken = true;
                    break;
                }
            }
            if (!taken) {
                ignored.add(rel);
            }
        }
        if (!problems.isEmpty()) {
            throw new MalformedFiles(problems);
        }
        return new Loaded(byHandler, ignored);
    }

    /** Imports what {@link #load} read; outcomes come back in import order. */
    public List<Outcome> run(Loaded loaded, ImportContext context) {
        GrafanaVersion version = context.client().version();
        List<Outcome> outcomes = new ArrayList<>();
        for (var entry : loaded.byHandler().entrySet()) {
            ResourceHandler handler = entry.getKey();
            for (Resource r : entry.getValue()) {
                r.warnings().forEach(context.warnings());
            }
            String skipped = handler.descriptor().skipReason(version);
            if (skipped != null) {
                for (Resource r : entry.getValue()) {
                    outcomes.add(new Outcome(r, null, skipped));
                }
                continue;
            }
            for (List<Resource> stage : handler.stages(entry.getValue())) {
                outcomes.addAll(parallel.map(stage, r -> importOne(handler, r, context)));
            }
        }
        return outcomes;
    }

    /**
     * One item: what Grafana refused or an I/O problem becomes that item's error; an unreachable server or a
     * rejected credential stops the import, and so does any other exception (a bug: the CLI exits 70).
     */
    private static Outcome importOne(ResourceHandler handler, Resource r, ImportContext context) {
        try {
            return new Outcome(r, handler.importResource(r, context), null);
        } catch (GrafanaException e) {
            if (e.problem() == GrafanaException.Problem.UNREACHABLE || e.status() == 401) {
                throw e;
            }
            return new Outcome(r, null, e.getMessage());
        } catch (UncheckedIOException e) {
            return new Outcome(r, null, e.getMessage());
        }
    }
}
