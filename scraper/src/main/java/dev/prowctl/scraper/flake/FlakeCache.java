package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.http.AtomicFiles;

/**
 * Verdicts of finished runs, kept between scrapes in {@code <state-dir>/flake-cache.json}: a finished run's
 * classification never changes, so a repeated scrape asks nothing for a run it already classified.
 *
 * <ul>
 * <li>Crash-safe: written to a temporary file in the same directory, flushed to disk, then moved over the old file
 * with {@code ATOMIC_MOVE} ({@link AtomicFiles}, no plain-move fallback); a reader sees the old or the new file,
 * never half of one.</li>
 * <li>A corrupt or foreign file (not JSON, or not {@value #FORMAT} version {@value #VERSION}) gives one warning and
 * is replaced by a fresh cache at the next save.</li>
 * <li>Bounded: entries of runs that finished more than {@link #RETENTION} ago are dropped on load and save. Prow
 * keeps finished runs 24 h on OpenShift and 7 days upstream, so older runs are never scraped again; 14 days leaves
 * a margin for clock skew and scrapes that pause for a while.</li>
 * <li>Two scrapes sharing the directory: each save first merges in the entries the other one wrote.</li>
 * <li>Only definitive verdicts are entries. For a run that could not be told, the file keeps when it was first
 * left undecided ({@code "deferred"}), so that the bound on its deferral holds across scrapes.</li>
 * </ul>
 */
public final class FlakeCache {

    private static final Object JVM_SAVE_LOCK = new Object();

    public static final String FILE_NAME = "flake-cache.json";
    public static final String FORMAT = "prowctl-flake-cache";
    public static final int VERSION = 1;
    public static final Duration RETENTION = Duration.ofDays(14);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What older versions cached when the artifacts were refused everywhere: not a verdict on the run. */
    private static final String NOT_A_VERDICT = "artifacts-unavailable:";

    /** One cached verdict. */
    record Entry(boolean flake, String reason, Instant finished) {
    }

    /** A run without a verdict: first left undecided at {@code since}. */
    record Deferral(Instant since, Instant finished) {
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, Entry> entries;
    private final Map<String, Deferral> deferred;

    private FlakeCache(Path file, Clock clock, Contents contents) {
        this.file = file;
        this.clock = clock;
        this.entries = contents.entries();
        this.deferred = contents.deferred();
    }

    /** What the file holds. */
    private record Contents(Map<String, Entry> entries, Map<String, Deferral> deferred) {
        static Contents empty() {
            return new Contents(new HashMap<>(), new HashMap<>());
        }
    }

    /** A cache that lives only as long as this process (used when no state directory can be written). */
    public static FlakeCache inMemory(Clock clock) {
        return new FlakeCache(null, clock, Contents.empty());
    }

    /**
     * Loads {@code <stateDir>/flake-cache.json}; a missing file is an empty cache, an unreadable one gives one
     * warning and an empty cache.
     */
    public static FlakeCache open(Path stateDir, Clock clock, Consumer<String> warnings) {
        Path file = stateDir.resolve(FILE_NAME);
        Contents entries = Contents.empty();
        try {
            entries = read(file);
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException | IllegalArgumentException e) {
            warnings.accept("flake cache " + file + " is unusable (" + e.getMessage()
                    + "); starting a new one, runs will be looked up again");
        }
        FlakeCache cache = new FlakeCache(file, clock, entries);
        cache.prune();
        return cache;
    }

    /** Where the cache is saved, or {@code null} for an in-memory cache. */
    public Path file() {
        return file;
    }

    public synchronized int size() {
        return entries.size();
    }

    synchronized Optional<FlakeRules.Verdict> get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(new FlakeRules.Verdict(entry.flake(), entry.reason()));
    }

    synchronized void put(String key, FlakeRules.Verdict verdict, Instant finished) {
        entries.put(key, new Entry(verdict.flake(), verdict.reason(), finished));
        deferred.remove(key);
    }

    /**
     * When the run without a verdict was first left undecided: {@code now} the first time it is asked, the same
     * instant on every later scrape.
     */
    synchronized Instant deferredSince(String key, Instant now, Instant finished) {
        return deferred.computeIfAbsent(key, k -> new Deferral(now, finished)).since();
    }

    /**
     * Drops every cached verdict, in memory and in the file ({@code --refresh-flakes}): the runs are looked up again.
     * When runs were first left undecided is kept, so refreshing does not extend their deferral.
     *
     * @return how many verdicts were dropped from memory
     */
    public synchronized int dropVerdicts() throws IOException {
        int dropped = entries.size();
        entries.clear();
        if (file != null) {
            underFileLock(dir -> {
                readOrEmpty().deferred().forEach((key, saved) -> deferred.merge(key, saved, FlakeCache::earlier));
                write(dir);
            });
        }
        return dropped;
    }

    /** Drops what belongs to runs that finished before now minus {@link #RETENTION}; returns how many verdicts. */
    synchronized int prune() {
        Instant oldest = clock.instant().minus(RETENTION);
        deferred.values().removeIf(d -> d.finished().isBefore(oldest));
        int removed = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().finished().isBefore(oldest)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /**
     * Writes the cache atomically, merging what another scrape saved meanwhile; no-op for an in-memory cache.
     * Telegraf runs several scrapes on one state dir at the same moment: a lock file serialises their
     * read-merge-replace, so none drops the others' entries.
     */
    public synchronized void save() throws IOException {
        if (file == null) {
            return;
        }
        underFileLock(dir -> {
            Contents saved = readOrEmpty();
            saved.entries().forEach(entries::putIfAbsent);
            saved.deferred().forEach((key, other) -> deferred.merge(key, other, FlakeCache::earlier));
            write(dir);
        });
    }

    private interface LockedWrite {
        void run(Path dir) throws IOException;
    }

    private void underFileLock(LockedWrite write) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // A file lock is held per process: saves within one JVM are serialised first.
        synchronized (JVM_SAVE_LOCK) {
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockChannel.lock()) {
                write.run(dir);
            }
        }
    }

    private static Deferral earlier(Deferral a, Deferral b) {
        return a.since().isAfter(b.since()) ? b : a;
    }

    /** The file's contents; missing or unusable: empty, ours replaces it (open() already warned). */
    private Contents readOrEmpty() {
        try {
            return read(file);
        } catch (IOException | IllegalArgumentException e) {
            return Contents.empty();
        }
    }

    private void write(Path dir) throws IOException {
        deferred.keySet().removeAll(entries.keySet());
        prune();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode out = root.putObject("entries");
        new TreeMap<>(entries).forEach((key, entry) -> {
            ObjectNode node = out.putObject(key);
            node.put("flake", entry.flake());
            node.put("reason", entry.reason());
            node.put("finished", entry.finished().toString());
        });
        ObjectNode undecided = root.putObject("deferred");
        new TreeMap<>(deferred).forEach((key, deferral) -> {
            ObjectNode node = undecided.putObject(key);
            node.put("since", deferral.since().toString());
            node.put("finished", deferral.finished().toString());
        });
        // no plain-move fallback: concurrent scrapes read this file, a half-replaced one would lose verdicts
        AtomicFiles.write(file, JSON.writeValueAsBytes(root), null, AtomicFiles.Fallback.FAIL);
    }

    private static Contents read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a " + FORMAT + " file");
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("version " + root.path("version") + ", this prowctl writes "
                    + VERSION);
        }
        JsonNode entries = root.path("entries");
        if (!entries.isObject()) {
            throw new IllegalArgumentException("no \"entries\" object");
        }
        Contents result = Contents.empty();
        for (Map.Entry<String, JsonNode> field : entries.properties()) {
            JsonNode node = field.getValue();
            if (!node.path("flake").isBoolean() || !node.path("reason").isTextual()) {
                throw new IllegalArgumentException("entry " + field.getKey() + " lacks flake/reason");
            }
            if (node.get("reason").asText().startsWith(NOT_A_VERDICT)) {
                continue; // cached by an older prowctl; "cannot tell" is no verdict, the run is looked up again
            }
            result.entries().put(field.getKey(), new Entry(node.get("flake").asBoolean(),
                    node.get("reason").asText(), instant(node, "finished", field.getKey())));
        }
        // written since undecided runs are bounded; a file without it (older prowctl) has none
        for (Map.Entry<String, JsonNode> field : root.path("deferred").properties()) {
            result.deferred().put(field.getKey(), new Deferral(instant(field.getValue(), "since", field.getKey()),
                    instant(field.getValue(), "finished", field.getKey())));
        }
        return result;
    }

    private static Instant instant(JsonNode node, String name, String key) {
        try {
            return Instant.parse(node.path(name).asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("entry " + key + " has no valid \"" + name + "\" time");
        }
    }
}
