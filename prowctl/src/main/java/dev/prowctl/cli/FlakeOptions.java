package dev.prowctl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import dev.prowctl.http.Redaction;
import dev.prowctl.scraper.flake.ArtifactsClassifier;
import dev.prowctl.scraper.flake.ClassificationListener;
import dev.prowctl.scraper.flake.ClassifierSettings;
import dev.prowctl.scraper.flake.FlakeCache;
import dev.prowctl.scraper.flake.RetryPolicy;
import dev.prowctl.scraper.flake.RunClassifier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flake-classification options of {@code prowctl scrape} (a picocli mixin) and the one method that turns them
 * into the scrape's {@link RunClassifier}.
 */
public final class FlakeOptions {

    @Option(names = "--no-flakes",
            description = "Do not classify failed runs as infrastructure flakes: no artifacts requests, failed runs "
                    + "stay 'failure'.")
    boolean noFlakes;

    @Option(names = "--gcs-api-url", paramLabel = "URL",
            defaultValue = "${env:PROWCTL_GCS_API_URL:-https://storage.googleapis.com}",
            description = "GCS JSON API used to list artifacts (public buckets, anonymous); on 401/403/404 the "
                    + "gcsweb listing is used instead. Default: ${DEFAULT-VALUE}.")
    String gcsApiUrl;

    /** Artifacts lookups in flight at most. */
    @Mixin
    ConcurrencyOption concurrency;

    @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "${env:PROWCTL_DEADLINE:-240s}",
            converter = DurationConverter.class,
            description = "Time all artifacts lookups of one scrape may take (e.g. 240s, 4m); failed runs not "
                    + "classified by then are left out and emitted by a later scrape (see --max-deferral). "
                    + "Default: ${DEFAULT-VALUE} (under Telegraf's 300 s exec timeout).")
    Duration deadline;

    @Option(names = "--max-deferral", paramLabel = "DURATION",
            defaultValue = "6h", converter = DurationConverter.ZeroAllowed.class,
            description = "Longest time a failed run whose flake verdict cannot be told is left out of the output; "
                    + "then it is emitted as 'failure' with flake_reason 'undecided:<why>' (at once when asking "
                    + "again cannot help: unknown host, 401/403; 0: never left out). Default: ${DEFAULT-VALUE}.")
    Duration maxDeferral;

    @Option(names = "--refresh-flakes",
            description = "Drop the cached flake verdicts (flake-cache.json in --state-dir) and look every failed "
                    + "run up again.")
    boolean refreshFlakes;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "20s",
            converter = DurationConverter.class,
            description = "Limit for one artifacts request. Default: ${DEFAULT-VALUE}.")
    Duration requestTimeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "Retries of an artifacts request on 408, 429, 5xx and connection errors, with exponential "
                    + "backoff and jitter. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:PROWCTL_STATE_DIR}",
            description = "Where verdicts of finished runs are cached between scrapes (flake-cache.json). "
                    + "Default: $XDG_CACHE_HOME/prowctl, else ~/.cache/prowctl.")
    Path stateDir;

    /** False with {@code --no-flakes}. */
    public boolean enabled() {
        return !noFlakes;
    }

    /**
     * The classifier for this scrape: {@link RunClassifier#NONE} with {@code --no-flakes}, else an
     * {@link ArtifactsClassifier} over the given client.
     *
     * @param httpClient   the process's client ({@code Prowctl.root(spec)::httpClient}), asked for only when flakes
     *                     are classified (building it loads the TLS stack); per-request timeouts are set on each call
     * @param gcswebPrefix the scrape's {@code --gcsweb-url} (e.g. {@code https://gcsweb-ci.../gcs/}); {@code null}
     *                     or blank when unknown: each run's spyglass page is read for its "Artifacts" link
     * @param listener     progress and warnings (the scrape's {@link ScrapeReport} shows them on stderr)
     * @throws CommandFailure (exit {@link ExitCodes#USAGE}) for an invalid value
     */
    public RunClassifier classifier(Supplier<OkHttpClient> httpClient, String gcswebPrefix,
                                    ClassificationListener listener) {
        // checked with --no-flakes too: the --gcsweb-url prefix is copied into every stored artifacts link
        refuseUserInfo("--gcs-api-url", gcsApiUrl);
        refuseUserInfo("--gcsweb-url", gcswebPrefix);
        if (noFlakes) {
            return RunClassifier.NONE;
        }
        HttpUrl api = url("--gcs-api-url", gcsApiUrl);
        HttpUrl gcsweb = gcswebPrefix == null || gcswebPrefix.isBlank() ? null
                : url("--gcsweb-url", gcswebPrefix.endsWith("/") ? gcswebPrefix : gcswebPrefix + "/");
        if (retries < 0 || retries > 10) {
            throw new CommandFailure(ExitCodes.USAGE, "--retries must be between 0 and 10, not " + retries);
        }
        RetryPolicy retry = new RetryPolicy(requestTimeout, retries, RetryPolicy.DEFAULT.base(),
                RetryPolicy.DEFAULT.max());
        ClassifierSettings settings = new ClassifierSettings(api, gcsweb, concurrency.value(), deadline, retry,
                maxDeferral);
        FlakeCache cache = FlakeCache.open(stateDir(), Clock.systemUTC(), listener::warning);
        if (refreshFlakes) {
            try {
                cache.dropVerdicts();
            } catch (IOException e) {
                listener.warning("cached flake verdicts dropped for this scrape only: " + cache.file()
                        + " could not be rewritten (" + e.getMessage() + ")");
            }
        }
        return new ArtifactsClassifier(httpClient.get(), settings, cache, listener);
    }

    /** {@code --gcs-api-url}, checked (a usage error when it is not an http(s) URL or carries a user). */
    HttpUrl gcsApiUrl() {
        refuseUserInfo("--gcs-api-url", gcsApiUrl);
        return url("--gcs-api-url", gcsApiUrl);
    }

    /** {@code --request-timeout} and {@code --retries} as the artifacts requests' policy. */
    RetryPolicy retryPolicy() {
        if (retries < 0 || retries > 10) {
            throw new CommandFailure(ExitCodes.USAGE, "--retries must be between 0 and 10, not " + retries);
        }
        return new RetryPolicy(requestTimeout, retries, RetryPolicy.DEFAULT.base(), RetryPolicy.DEFAULT.max());
    }

    int concurrency() {
        return concurrency.value();
    }

    /** {@code --deadline}: the time one scrape's lookups (and its gap filling) may take. */
    Duration deadline() {
        return deadline;
    }

    /** {@code --state-dir}, else {@code $XDG_CACHE_HOME/prowctl}, else {@code ~/.cache/prowctl}. */
    public Path stateDir() {
        if (stateDir != null) {
            return stateDir;
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cacheHome = xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute() ? Paths.get(xdg)
                : Paths.get(System.getProperty("user.home"), ".cache");
        return cacheHome.resolve("prowctl");
    }

    private static HttpUrl url(String option, String value) {
        HttpUrl url = HttpUrl.parse(value);
        if (url == null) {
            throw new CommandFailure(ExitCodes.USAGE, option + " must be an http(s) URL, not '"
                    + Redaction.url(value) + "'");
        }
        return url;
    }

    /**
     * Refuses a user or password in an artifacts URL: lookups are anonymous (they would be ignored) and links are
     * stored (they would leak). Never echoes them.
     */
    private static void refuseUserInfo(String option, String value) {
        HttpUrl url = value == null ? null : HttpUrl.parse(value);
        if (url != null && (!url.encodedUsername().isEmpty() || !url.encodedPassword().isEmpty())) {
            throw new CommandFailure(ExitCodes.USAGE, option + " carries a user or password ("
                    + Redaction.url(value) + "), which prowctl does not send (artifacts are read anonymously) and"
                    + " would copy into stored links: for private artifacts, give the URL of a proxy that logs in");
        }
    }
}
