package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What earlier backfills already did, per job: the build ids whose runs were emitted (or are for good not to be:
 * filtered out, {@code /override}, unusable), in {@code <state-dir>/backfill/<job>-<hash>.json}. A scope names the
 * destination and filters (the same runs backfilled into another database are not done there). Each file is written
 * atomically ({@link StateFile}): a killed backfill leaves the old or the new file, never half of one. A file that
 * cannot be read gives one warning and counts as empty; a state directory that cannot be written gives one warning
 * and the backfill goes on without checkpoints.
 */
public final class Checkpoints {

    static final String FORMAT = "prowctl-backfill-checkpoint";
    static final int VERSION = 1;
    private static final StateFile STATE = new StateFile(FORMAT, VERSION);

    private final Path dir;
    private final String scope;
    private final Consumer<String> warnings;
    private final Map<String, Set<String>> done = new HashMap<>();
    private boolean writeFailed;

    private Checkpoints(Path dir, String scope, Consumer<String> warnings) {
        this.dir = dir;
        this.scope = scope;
        this.warnings = warnings;
    }

    /** Checkpoints in {@code <stateDir>/backfill} for {@code scope}. */
    public static Checkpoints open(Path stateDir, String scope, Consumer<String> warnings) {
        return new Checkpoints(stateDir.resolve("backfill"), scope, warnings);
    }

    /** No checkpoints: everything is read, nothing is remembered. */
    public static Checkpoints none() {
        return new Checkpoints(null, "", w -> { });
    }

    /** The directory the files are in, or null. */
    public Path directory() {
        return dir;
    }

    /** The build ids of {@code job} done in this scope (loaded once; a copy). */
    synchronized Set<String> done(String job) {
        return Set.copyOf(load(job));
    }

    private Set<String> load(String job) {
        return done.computeIfAbsent(job, j -> {
            Set<String> ids = new HashSet<>();
            if (dir == null) {
                return ids;
            }
            Path file = file(j);
            try {
                Optional<JsonNode> node = STATE.read(file, scope, "this job and scope"); // empty: never backfilled
                if (node.isPresent() && !j.equals(node.get().path("job").asText())) {
                    throw STATE.notOurs("this job and scope");
                }
                node.ifPresent(n -> n.path("done").forEach(id -> ids.add(id.asText())));
            } catch (IOException e) {
                warnings.accept("backfill checkpoint " + file + " is unusable (" + e.getMessage()
                        + "); the job's runs are read again");
            }
            return ids;
        });
    }

    /** Adds {@code ids} to {@code job}'s done runs and writes its file. */
    synchronized void markDone(String job, Set<String> ids) {
        Set<String> all = load(job);
        if (!all.addAll(ids) || dir == null || writeFailed) {
            return;
        }
        try {
            write(job, all);
        } catch (IOException e) {
            writeFailed = true;
            warnings.accept("backfill checkpoints cannot be written to " + dir + " (" + e.getMessage()
                    + "): a backfill run again reads everything again");
        }
    }

    /** Forgets every job's done runs in this scope ({@code --from-scratch}). */
    public synchronized void forget(Iterable<String> jobs) throws IOException {
        for (String job : jobs) {
            done.put(job, new HashSet<>());
            if (dir != null) {
                Files.deleteIfExists(file(job));
            }
        }
    }

    private void write(String job, Set<String> ids) throws IOException {
        ObjectNode node = STATE.create(scope);
        node.put("job", job);
        ArrayNode list = node.putArray("done");
        new TreeSet<>(ids).forEach(list::add);
        StateFile.write(file(job), node);
    }

    /** A file name that is safe and unique: the job name's safe characters, and a hash of job and scope. */
    private Path file(String job) {
        String safe = job.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 100) {
            safe = safe.substring(0, 100);
        }
        return dir.resolve(safe + "-" + StateFile.hash(scope + "\n" + job) + ".json");
    }
}
