package dev.prowctl.scraper.backfill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.scraper.flake.FakeArtifactsServer;
import dev.prowctl.scraper.prow.ProwRun.JobType;

/**
 * Days of runs of the four job types stored in a {@link FakeArtifactsServer}'s bucket the way Prow stores them
 * ({@code pkg/pod-utils/gcs/target.go}): {@code logs/<job>/<build>/} for periodic and postsubmit runs,
 * {@code pr-logs/pull/<org>_<repo>/<pr>/<job>/<build>/} plus the alias {@code pr-logs/directory/<job>/<build>.txt}
 * for presubmits (with the run's {@code gs://} path in its metadata, see {@link AliasUpload}),
 * {@code pr-logs/pull/batch/<job>/<build>/} for batches; each run with {@code prowjob.json} (a full
 * ProwJob as crier writes it: labels, annotations, pod_spec, decoration_config), {@code started.json},
 * {@code finished.json}, {@code build-log.txt}, and the job's {@code latest-build.txt}.
 */
final class ProwHistory {

    static final String BUCKET = "test-platform-results";
    static final String ORG = "openshift";
    static final String REPO = "oadp-operator";
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeArtifactsServer server;
    /** An installation's {@code gcs_configuration.path_prefix} ("" or ending with /). */
    String prefix = "";
    /** How presubmit aliases are uploaded, so what metadata the listing shows of them. */
    AliasUpload aliasUpload = AliasUpload.POD_UTILS;

    /** Who uploaded a presubmit alias {@code pr-logs/directory/<job>/<build>.txt}. */
    enum AliasUpload {
        /** pod-utils' gcsupload: metadata {@code x-goog-meta-link: gs://<bucket>/<run path>}. */
        POD_UTILS,
        /** bootstrap.py's {@code gsutil -h 'x-goog-meta-link: gs://...'}: metadata {@code link}, a space after. */
        BOOTSTRAP,
        /** an old upload without metadata: only the alias's content tells the run's path. */
        NO_METADATA
    }
    private int sequence;

    ProwHistory(FakeArtifactsServer server) {
        this.server = server;
    }

    /** A snowflake build id for a run started at {@code start} (made a second later, as plank does). */
    String buildId(Instant start) {
        long millis = start.toEpochMilli() + 1000 - BuildIds.EPOCH_MILLIS;
        return String.valueOf((millis << 22) + (sequence++ % 4096));
    }

    /** The run's directory in the bucket. */
    static String path(JobType type, String job, String id, int pr) {
        return switch (type) {
            case PERIODIC, POSTSUBMIT -> "logs/" + job + "/" + id;
            case PRESUBMIT -> "pr-logs/pull/" + ORG + "_" + REPO + "/" + pr + "/" + job + "/" + id;
            case BATCH -> "pr-logs/pull/batch/" + job + "/" + id;
        };
    }

    /** A finished ProwJob as {@code prowjob.json} holds it. */
    ObjectNode prowJob(String job, JobType type, Instant start, Duration took, String state, int pr) {
        String id = buildId(start);
        String path = prefix + path(type, job, id, pr);
        ObjectNode pj = JSON.createObjectNode();
        pj.put("kind", "ProwJob").put("apiVersion", "prow.k8s.io/v1");
        ObjectNode metadata = pj.putObject("metadata");
        metadata.put("name", UUID.nameUUIDFromBytes(id.getBytes()).toString());
        metadata.put("namespace", "ci");
        metadata.put("creationTimestamp", start.toString());
        ObjectNode labels = metadata.putObject("labels");
        labels.put("prow.k8s.io/job", job.length() > 63 ? job.substring(0, 63) : job);
        labels.put("prow.k8s.io/type", type.prowName());
        labels.put("ci-operator.openshift.io/cloud-cluster-profile", "aws");
        labels.put("ci-operator.openshift.io/variant", "4.15");
        metadata.putObject("annotations").put("prow.k8s.io/job", job);
        ObjectNode spec = pj.putObject("spec");
        spec.put("type", type.prowName());
        spec.put("agent", "kubernetes");
        spec.put("cluster", "build0" + (1 + id.hashCode() % 3 + 3) % 3);
        spec.put("namespace", "ci");
        spec.put("job", job);
        ObjectNode refs = JSON.createObjectNode();
        refs.put("org", ORG).put("repo", REPO).put("repo_link", "https://github.com/" + ORG + "/" + REPO)
                .put("base_ref", "master").put("base_sha", "0123456789abcdef0123456789abcdef01234567");
        if (type == JobType.PRESUBMIT || type == JobType.BATCH) {
            ArrayNode pulls = refs.putArray("pulls");
            for (int i = 0; i < (type == JobType.BATCH ? 2 : 1); i++) {
                pulls.addObject().put("number", pr + i).put("author", "dev" + i)
                        .put("sha", "fedcba9876543210fedcba9876543210fedcba9" + i)
                        .put("link", "https://github.com/" + ORG + "/" + REPO + "/pull/" + (pr + i));
            }
        }
        if (type == JobType.PERIODIC) {
            spec.putArray("extra_refs").add(refs);
        } else {
            spec.set("refs", refs);
        }
        spec.put("report", true).put("rerun_command", "/test e2e");
        ObjectNode container = spec.putObject("pod_spec").putArray("containers").addObject();
        container.put("image", "ci-operator:latest");
        container.putArray("args").add("--give-pr-author-access-to-namespace=true").add("--target=e2e")
                .add("--variant=4.15");
        container.putArray("env").addObject().put("name", "CONFIG_SPEC").put("value", "x".repeat(2000));
        spec.putObject("decoration_config").put("timeout", "4h0m0s").put("skip_cloning", true);
        ObjectNode status = pj.putObject("status");
        status.put("startTime", start.toString());
        status.put("pendingTime", start.plusSeconds(1).toString());
        status.put("completionTime", start.plus(took).toString());
        status.put("state", state);
        status.put("description", "Job " + state + ".");
        status.put("url", server.spyglassUrl(BUCKET, path));
        status.put("pod_name", id);
        status.put("build_id", id);
        status.put("prev_report_states", JSON.createObjectNode().put("gcsreporter", state));
        return pj;
    }

    static String id(ObjectNode pj) {
        return pj.path("status").path("build_id").asText();
    }

    static String job(ObjectNode pj) {
        return pj.path("spec").path("job").asText();
    }

    static String runPath(ObjectNode pj) {
        String url = pj.path("status").path("url").asText();
        return url.substring(url.indexOf("/view/gs/" + BUCKET + "/") + ("/view/gs/" + BUCKET + "/").length());
    }

    /** Stores the run's files, its presubmit alias, and makes it the job's latest build. */
    void store(ObjectNode pj) {
        String path = runPath(pj);
        String job = job(pj);
        String id = id(pj);
        JobType type = JobType.fromProw(pj.path("spec").path("type").asText());
        Instant start = Instant.parse(pj.path("status").path("startTime").asText());
        Instant end = Instant.parse(pj.path("status").path("completionTime").asText());
        String state = pj.path("status").path("state").asText();
        server.put(BUCKET, path + "/prowjob.json", pj.toString());
        server.put(BUCKET, path + "/started.json", JSON.createObjectNode().put("timestamp", start.getEpochSecond())
                .put("pull", type == JobType.PRESUBMIT ? pj.at("/spec/refs/pulls/0/number").asText() : "")
                .set("repos", JSON.createObjectNode().put(ORG + "/" + REPO, type == JobType.PRESUBMIT
                        ? "master:0123456789abcdef0123456789abcdef01234567," + pj.at("/spec/refs/pulls/0/number")
                        .asText() + ":" + pj.at("/spec/refs/pulls/0/sha").asText() : "master")).toString());
        server.put(BUCKET, path + "/finished.json", JSON.createObjectNode().put("timestamp", end.getEpochSecond())
                .put("passed", state.equals("success")).put("result", state.toUpperCase()).toString());
        server.put(BUCKET, path + "/build-log.txt", "log of " + id);
        server.put(BUCKET, path + "/artifacts/e2e/build-log.txt", "step log");
        if (type == JobType.PRESUBMIT) {
            String link = "gs://" + BUCKET + "/" + path;
            server.put(BUCKET, prefix + "pr-logs/directory/" + job + "/" + id + ".txt", link, switch (aliasUpload) {
                case POD_UTILS -> Map.of("x-goog-meta-link", link);
                case BOOTSTRAP -> Map.of("link", link + " ");
                case NO_METADATA -> Map.of();
            });
            server.put(BUCKET, prefix + "pr-logs/directory/" + job + "/latest-build.txt", id);
        } else {
            String dir = type == JobType.BATCH ? "pr-logs/pull/batch/" : "logs/";
            server.put(BUCKET, prefix + dir + job + "/latest-build.txt", id);
        }
    }

    /**
     * Runs of {@code job} every {@code every} from {@code from} to {@code to}, each {@code failedEvery}-th one
     * failed (0: none), stored; returned oldest first.
     */
    List<ObjectNode> runs(String job, JobType type, Instant from, Instant to, Duration every, int failedEvery) {
        List<ObjectNode> runs = new ArrayList<>();
        int n = 0;
        for (Instant start = from; start.isBefore(to); start = start.plus(every)) {
            n++;
            String state = failedEvery > 0 && n % failedEvery == 0 ? "failure" : "success";
            ObjectNode pj = prowJob(job, type, start, Duration.ofMinutes(47), state, 1000 + n % 7);
            store(pj);
            runs.add(pj);
        }
        return runs;
    }

    /** Deck's payload with these ProwJobs. */
    static String payload(List<ObjectNode> prowJobs) {
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode items = payload.putArray("items");
        prowJobs.forEach(items::add);
        return payload.toString();
    }
}
