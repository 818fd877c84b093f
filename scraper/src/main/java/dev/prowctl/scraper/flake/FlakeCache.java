package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

/**
 * Verdicts of finished runs, kept between scrapes in {@code <state-dir>/flake-cache.json}: a finished run's
 * classification never changes, so a repeated scrape asks nothing for a run it already classified.
 *
 * <ul>
 * <li>Crash-safe: written to a temporary file in the same directory, flushed to disk, then moved over the old file
 * with {@code ATOMIC_MOVE}; a reader sees the old or the new file, never half of one.</li>
 * <li>A corrupt or foreign file (not JSON, or not {@value #FORMAT} version {@value #VERSION}) gives one warning and
 * is replaced by a fresh cache at the next save.</li>
 * <li>Bounded: entries of runs that finished more than {@link #RETENTION} ago are dropped on load and save. Prow
 * keeps finished runs 24 h on OpenShift and 7 days upstream, so older runs are never scraped again; 14 days leaves
 * a margin for clock skew and scrapes that pause for a while.</li>
 * <li>Two scrapes sharing the directory: each save first merges in the entries the other one wrote.</li>
 * </ul>
 */
public final class FlakeCache {

    private static final Object JVM_SAVE_LOCK = new Object();

    public static final String FILE_NAME = "flake-cache.json";
    public static final String FORMAT = "prowctl-flake-cache";
    public static final int VERSION = 1;
    public static final Duration RETENTION = Duration.ofDays(14);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One cached verdict. */
    record Entry(boolean flake, String reason, Instant finished) {
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, Entry> entries;

    private FlakeCache(Path file, Clock clock, Map<String, Entry> entries) {
        this.file = file;
        this.clock = clock;
        this.entries = entries;
    }

    /** A cache that lives only as long as this process (used when no state directory can be written). */
    public static FlakeCache inMemory(Clock clock) {
        return new FlakeCache(null, clock, new HashMap<>());
    }

    /**
     * Loads {@code <stateDir>/flake-cache.json}; a missing file is an empty cache, an unreadable one gives one
     * warning and an empty cache.
     */
    public static FlakeCache open(Path stateDir, Clock clock, Consumer<String> warnings) {
        Path file = stateDir.resolve(FILE_NAME);
        Map<String, Entry> entries = new HashMap<>();
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
    }

    /** Drops the entries of runs that finished before now minus {@link #RETENTION}; returns how many. */
    synchronized int prune() {
        Instant oldest = clock.instant().minus(RETENTION);
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
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // A file lock is held per process: saves within one JVM are serialised first.
        synchronized (JVM_SAVE_LOCK) {
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockChannel.lock()) {
                mergeAndWrite(dir);
            }
        }
    }

    private void mergeAndWrite(Path dir) throws IOException {
        try {
            read(file).forEach(entries::putIfAbsent);
        } catch (IOException | IllegalArgumentException e) {
            // missing or unusable: ours replaces it (open() already warned about an unusable one)
        }
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
        Path tmp = Files.createTempFile(dir, ".flake-cache-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream stream = Channels.newOutputStream(channel)) {
                JSON.writeValue(new NonClosing(stream), root);
                stream.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<String, Entry> read(Path file) throws IOException {
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
        Map<String, Entry> result = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : entries.properties()) {
            JsonNode node = field.getValue();
            if (!node.path("flake").isBoolean() || !node.path("reason").isTextual()) {
                throw new IllegalArgumentException("entry " + field.getKey() + " lacks flake/reason");
            }
            try {
                result.put(field.getKey(), new Entry(node.get("flake").asBoolean(), node.get("reason").asText(),
                        Instant.parse(node.path("finished").asText())));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("entry " + field.getKey() + " has no valid \"finished\" time");
            }
        }
        return result;
    }

    /** Lets Jackson write without closing the channel before {@code force}. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
