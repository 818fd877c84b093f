package dev.prowctl.scraper.flake;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Redaction;
import dev.prowctl.scraper.prow.ProwRun;
import okhttp3.HttpUrl;

/**
 * The artifacts lookup of one failed run: the test step's directory and {@code artifacts/junit_operator.xml}, through
 * the GCS JSON API or, when the API refuses the bucket (401/403/404), through gcsweb. A missing {@code build-log.txt}
 * is evidence of a flake only when the run's own artifacts are there (the step directory or junit file, else the run
 * directory listed): when nothing of the run is found, the URLs may be wrong or the upload late, so it cannot tell.
 * Safe for concurrent use.
 */
final class RunLookup {

    static final String BUILD_LOG = "build-log.txt";
    static final String JUNIT = "artifacts/junit_operator.xml";
    /** What the sidecar uploads at the run's root when it ends (looked for when listing the run directory). */
    static final String FINISHED = "finished.json";

    private final ClassifierSettings settings;
    private final ArtifactsHttp http;
    private final GcsApiClient gcsApi;
    private final GcswebClient gcsweb;
    /** Buckets the GCS API refused during this process: later runs go to gcsweb directly. */
    private final Set<String> refusedBuckets = ConcurrentHashMap.newKeySet();

    RunLookup(ClassifierSettings settings, ArtifactsHttp http) {
        this.settings = settings;
        this.http = http;
        this.gcsApi = new GcsApiClient(settings.gcsApiUrl(), http);
        this.gcsweb = new GcswebClient(http);
    }

    /** Classifies one candidate; throws {@link LookupFailed} when it cannot tell this time. */
    FlakeRules.Verdict lookUp(ProwRun run, Deadline deadline) throws LookupFailed {
        String step = FlakeRules.testStepDir(run).orElseThrow();
        String stepDir = "artifacts/" + run.target() + "/" + step + "/";
        Optional<RunLocation> location = RunLocation.fromSpyglassUrl(run.logUrl());
        if (location.isPresent() && !refusedBuckets.contains(location.get().bucket())) {
            try {
                return viaApi(location.get(), stepDir, step, deadline);
            } catch (NotServed e) {
                refusedBuckets.add(location.get().bucket());
            }
        }
        return viaGcsweb(run, location, stepDir, step, deadline);
    }

    private FlakeRules.Verdict viaApi(RunLocation loc, String stepDir, String step, Deadline deadline)
            throws LookupFailed, NotServed {
        Listing listing = gcsApi.list(loc.bucket(), loc.objectPrefix(stepDir), BUILD_LOG, deadline);
        Junit junit = Junit.of(gcsApi.read(loc.bucket(), loc.path() + "/" + JUNIT, deadline));
        if (listing.empty() && !junit.readable()
                && gcsApi.list(loc.bucket(), loc.path() + "/", FINISHED, deadline).empty()) {
            throw LookupFailed.noArtifacts("no artifacts under gs://" + loc.key() + "/ at the GCS API "
                    + Redaction.url(settings.gcsApiUrl().toString()));
        }
        return FlakeRules.decide(step, listing.hasFile(), junit.failed(), junit.unreadable());
    }

    private FlakeRules.Verdict viaGcsweb(ProwRun run, Optional<RunLocation> location, String stepDir, String step,
                                         Deadline deadline) throws LookupFailed {
        Optional<HttpUrl> root = gcswebRoot(run, location, deadline);
        if (root.isEmpty()) {
            return new FlakeRules.Verdict(false, "no-artifacts-link");
        }
        try {
            Listing listing = gcsweb.list(resolve(root.get(), stepDir), BUILD_LOG, deadline);
            Junit junit = Junit.of(gcsweb.read(resolve(root.get(), JUNIT), deadline));
            if (listing.empty() && !junit.readable() && gcsweb.list(root.get(), FINISHED, deadline).empty()) {
                throw LookupFailed.noArtifacts("no artifacts at " + Redaction.url(root.get().toString()));
            }
            return FlakeRules.decide(step, listing.hasFile(), junit.failed(), junit.unreadable());
        } catch (NotServed e) {
            // Refused by the API and by gcsweb: not public, or a proxy wants a login. Asking again will not help.
            throw new LookupFailed("http-" + e.code(), true, "the artifacts are refused (HTTP " + e.code()
                    + ") by the GCS API and by gcsweb: " + e.getMessage(), e);
        }
    }

    /**
     * The run's directory on gcsweb: the configured prefix plus bucket and path, or, when the prefix is unknown or
     * the spyglass URL is not a {@code /view/gs/} one, the "Artifacts" link of the spyglass page. Empty only when a
     * real spyglass page (or the run itself) has no artifacts link.
     */
    private Optional<HttpUrl> gcswebRoot(ProwRun run, Optional<RunLocation> location, Deadline deadline)
            throws LookupFailed {
        if (settings.gcswebPrefix() != null && location.isPresent()) {
            return Optional.of(settings.gcswebPrefix().newBuilder()
                    .addPathSegment(location.get().bucket())
                    .addPathSegments(location.get().path())
                    .addPathSegment("")
                    .build());
        }
        HttpUrl page = run.logUrl() == null ? null : HttpUrl.parse(run.logUrl());
        if (page == null) {
            return Optional.empty();
        }
        String shown = Redaction.url(page.toString());
        ArtifactsHttp.Answer answer = http.get(page, deadline);
        if (answer.code() == 404) {
            throw LookupFailed.noArtifacts("the spyglass page " + shown + " answered HTTP 404");
        }
        if (!answer.ok()) {
            throw LookupFailed.http(answer.code(), "the spyglass page " + shown + " answered HTTP " + answer.code());
        }
        SpyglassLinks links = SpyglassLinks.parseSpyglassPage(answer.body(), page.toString()).orElseThrow(() ->
                new LookupFailed("bad-answer", false, shown + " is not a spyglass page (no #links-card)", null));
        return links.artifactsLink().map(HttpUrl::parse)
                .map(url -> url.encodedPath().endsWith("/") ? url : url.newBuilder().addPathSegment("").build());
    }

    private static HttpUrl resolve(HttpUrl dir, String relative) {
        return dir.newBuilder().addPathSegments(relative).build();
    }

    /**
     * What {@code junit_operator.xml} says. Only a file that parses shows the run's artifacts are there: any server
     * answers 200 with something (a catch-all JSON API, a proxy's page), which must not make a missing
     * {@code build-log.txt} count.
     */
    private record Junit(Optional<JunitOperatorReport.FailedStep> failed, boolean readable, boolean unreadable) {
        static Junit of(Optional<String> xml) {
            if (xml.isEmpty()) {
                return new Junit(Optional.empty(), false, false);
            }
            try {
                return new Junit(JunitOperatorReport.parse(xml.get()).failedStep(), true, false);
            } catch (IllegalArgumentException e) {
                return new Junit(Optional.empty(), false, true);
            }
        }
    }
}
