package dev.prowctl.scraper.backfill;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;
import dev.prowctl.scraper.flake.LookupFailed;
import dev.prowctl.scraper.flake.NotServed;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.PayloadException;
import dev.prowctl.scraper.prow.ProwJob;
import dev.prowctl.scraper.prow.ProwJobReader;
import dev.prowctl.scraper.prow.ProwRun.JobType;

/**
 * Reads one listed run: its {@code prowjob.json} (the full ProwJob crier's GCS reporter wrote when the run ended),
 * read by the same reader as deck's payload items. A presubmit's run path comes from its alias's metadata in the
 * listing; when the listing had none (gcsweb, old uploads) the alias {@code <build>.txt} is read first. Without a usable {@code prowjob.json} (older runs, a corrupt file) the run is rebuilt from
 * {@code started.json} and {@code finished.json}, with fewer fields; without {@code finished.json} it has not
 * finished and is left for a later backfill.
 */
final class RunReader {

    /** What became of one run. */
    sealed interface Outcome permits Read, Unfinished, Failed {
    }

    /** @param fallback why {@code prowjob.json} was not used, or null when it was */
    record Read(RunRef ref, ProwJob prowJob, String fallback) implements Outcome {
    }

    record Unfinished(RunRef ref) implements Outcome {
    }

    /** @param why one line naming the run and what failed */
    record Failed(RunRef ref, String why) implements Outcome {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC3339_SECONDS = DateTimeFormatter.ISO_INSTANT;
    /** The largest {@code started.json}/{@code finished.json} read into a tree (they are a few KB). */
    private static final int MAX_SMALL_JSON = 1 << 20;

    private final Bucket bucket;
    private final DeckUrl deck;
    private final Deadline deadline;

    RunReader(Bucket bucket, DeckUrl deck, Deadline deadline) {
        this.bucket = bucket;
        this.deck = deck;
        this.deadline = deadline;
    }

    Outcome read(RunRef ref) {
        String name = ref.job().bucket();
        try {
            String runPath = ref.runPath();
            if (runPath == null) {
                Optional<String> alias = bucket.read(name, ref.object(), deadline);
                if (alias.isEmpty()) {
                    return new Failed(ref, describe(ref) + ": " + ref.object() + " is gone");
                }
                runPath = aliasPath(name, alias.get());
                if (runPath == null) {
                    return new Failed(ref, describe(ref) + ": " + ref.object() + " does not hold a run path: \""
                            + abbreviate(alias.get()) + "\"");
                }
            }
            Optional<String> prowjob = bucket.read(name, runPath + "/prowjob.json", deadline);
            String why;
            if (prowjob.isPresent()) {
                try {
                    ProwJob pj = ProwJobReader.readOne(prowjob.get().getBytes(StandardCharsets.UTF_8),
                            "prowjob.json");
                    return new Read(ref, pj, null);
                } catch (PayloadException e) {
                    why = TerminalText.oneLine(e.getMessage());
                }
            } else {
                why = "no prowjob.json";
            }
            return fromStartedAndFinished(ref, runPath, why);
        } catch (LookupFailed | NotServed e) {
            return new Failed(ref, describe(ref) + ": " + TerminalText.oneLine(Redaction.text(e.getMessage())));
        }
    }

    /**
     * The run as {@code started.json} and {@code finished.json} tell it: job, type, build id, state, start and end,
     * the repository, base branch, pull request number and head sha, and the spyglass URL (so the artifacts link
     * too). Not there: the ProwJob's name (no prowjob link), labels (rehearsal, cluster profile, variant), the
     * container args ({@code --target}, so no flake classification), the build cluster, the pull request link.
     */
    private Outcome fromStartedAndFinished(RunRef ref, String runPath, String why) throws LookupFailed, NotServed {
        String name = ref.job().bucket();
        Optional<String> finishedText = bucket.read(name, runPath + "/finished.json", deadline);
        if (finishedText.isEmpty()) {
            return new Unfinished(ref);
        }
        JobType type = ref.layout().type() != null ? ref.layout().type() : ref.job().seenType();
        if (type == null) {
            return new Failed(ref, describe(ref) + ": " + why + ", and without it a run under logs/ of a job deck"
                    + " does not show cannot be told periodic from postsubmit");
        }
        Optional<String> startedText = bucket.read(name, runPath + "/started.json", deadline);
        if (startedText.isEmpty()) {
            return new Failed(ref, describe(ref) + ": " + why + ", and no started.json");
        }
        JsonNode started;
        JsonNode finished;
        try {
            started = object(startedText.get(), "started.json");
            finished = object(finishedText.get(), "finished.json");
        } catch (IllegalArgumentException e) {
            return new Failed(ref, describe(ref) + ": " + why + ", and " + e.getMessage());
        }
        if (!started.path("timestamp").canConvertToLong() || !finished.path("timestamp").canConvertToLong()) {
            return new Failed(ref, describe(ref) + ": " + why + ", and started.json or finished.json has no"
                    + " numeric timestamp");
        }
        String start = RFC3339_SECONDS.format(Instant.ofEpochSecond(started.path("timestamp").asLong()));
        String end = RFC3339_SECONDS.format(Instant.ofEpochSecond(finished.path("timestamp").asLong()));
        ProwJob.Refs refs = refs(started, type);
        String url = deck.base().resolve("/view/gs/" + name + "/" + runPath).toString();
        ProwJob pj = new ProwJob(null, Map.of(), type.prowName(), ref.job().name(), null,
                type == JobType.PERIODIC ? null : refs, type == JobType.PERIODIC && refs != null ? List.of(refs)
                : List.of(), List.of(), state(finished), start, end, ref.buildId(), url, null);
        return new Read(ref, pj, why);
    }

    /**
     * {@code repos: {"org/repo": "base:sha,123:prsha"}} (pod-utils) or {@code pull} and {@code repo-commit}: the
     * first repository is the main one, as deck's {@code refs} (or a periodic's {@code extra_refs[0]}).
     */
    private static ProwJob.Refs refs(JsonNode started, JobType type) {
        Iterator<Map.Entry<String, JsonNode>> repos = started.path("repos").fields();
        if (!repos.hasNext()) {
            return null;
        }
        Map.Entry<String, JsonNode> first = repos.next();
        int slash = first.getKey().indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String[] parts = first.getValue().asText("").split(",");
        String baseRef = parts[0].contains(":") ? parts[0].substring(0, parts[0].indexOf(':')) : parts[0];
        List<ProwJob.Pull> pulls = new ArrayList<>();
        if (type == JobType.PRESUBMIT || type == JobType.BATCH) {
            for (int i = 1; i < parts.length; i++) {
                String[] pull = parts[i].split(":", 2);
                try {
                    pulls.add(new ProwJob.Pull(Integer.valueOf(pull[0]), null, pull.length > 1 ? pull[1] : null,
                            null));
                } catch (NumberFormatException e) {
                    // not a pull request entry
                }
            }
        }
        return new ProwJob.Refs(first.getKey().substring(0, slash), first.getKey().substring(slash + 1),
                baseRef.isEmpty() ? null : baseRef, pulls);
    }

    /** {@code result} (the sidecar's SUCCESS/FAILURE/ABORTED or crier's prow state), else {@code passed}. */
    private static String state(JsonNode finished) {
        String result = finished.path("result").asText("").toLowerCase(Locale.ROOT);
        if (List.of("success", "failure", "aborted", "error").contains(result)) {
            return result;
        }
        JsonNode passed = finished.path("passed");
        return passed.isBoolean() ? (passed.asBoolean() ? "success" : "failure") : "error";
    }

    private static JsonNode object(String text, String file) {
        if (text.length() > MAX_SMALL_JSON) {
            throw new IllegalArgumentException(file + " is larger than 1 MiB");
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON");
        }
    }

    /** The run path an alias holds ({@code gs://<bucket>/<path>} or a bare path), or null when it holds none. */
    static String aliasPath(String bucketName, String alias) {
        String text = alias.strip();
        if (text.startsWith("gs://")) {
            text = text.substring("gs://".length());
            int slash = text.indexOf('/');
            if (slash <= 0) {
                return null;
            }
            text = text.substring(slash + 1); // the run is read from the listed bucket
        }
        while (text.startsWith("/")) {
            text = text.substring(1);
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty() || text.contains("\n") || text.contains("..") || text.contains("?") || text.contains("#")
                || !text.startsWith("pr-logs/") && !text.contains("/pr-logs/")) {
            return null;
        }
        return text;
    }

    private static String describe(RunRef ref) {
        return "job " + ref.job().name() + " run " + ref.buildId();
    }

    private static String abbreviate(String s) {
        String line = TerminalText.oneLine(s);
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }
}
