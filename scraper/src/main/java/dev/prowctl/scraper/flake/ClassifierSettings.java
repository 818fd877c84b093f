package dev.prowctl.scraper.flake;

import java.time.Duration;

import okhttp3.HttpUrl;

/**
 * How {@link ArtifactsClassifier} reaches the artifacts and how hard it tries.
 *
 * @param gcsApiUrl    the GCS JSON API ({@code --gcs-api-url})
 * @param gcswebPrefix the gcsweb prefix ending with {@code /} ({@code --gcsweb-url}), or {@code null} when unknown:
 *                     the artifacts link is then read from each run's spyglass page
 * @param concurrency  lookups in flight at most ({@code --concurrency})
 * @param deadline     the time all lookups of one scrape may take ({@code --deadline})
 * @param retry        per-request timeout, retries and backoff
 * @param maxDeferral  how long a failed run whose verdict cannot be told may be left out before it is emitted as
 *                     an undecided failure ({@code --max-deferral})
 */
public record ClassifierSettings(HttpUrl gcsApiUrl, HttpUrl gcswebPrefix, int concurrency, Duration deadline,
                                 RetryPolicy retry, Duration maxDeferral) {

    /** A failure is missing from the time series at most this long by default. */
    public static final Duration DEFAULT_MAX_DEFERRAL = Duration.ofHours(6);

    public ClassifierSettings {
        if (gcsApiUrl == null) {
            throw new IllegalArgumentException("the GCS API URL is required");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the deadline must be positive");
        }
        if (maxDeferral.isNegative()) {
            throw new IllegalArgumentException("the longest deferral must not be negative");
        }
    }

    /** With the default deferral bound. */
    public ClassifierSettings(HttpUrl gcsApiUrl, HttpUrl gcswebPrefix, int concurrency, Duration deadline,
                              RetryPolicy retry) {
        this(gcsApiUrl, gcswebPrefix, concurrency, deadline, retry, DEFAULT_MAX_DEFERRAL);
    }
}
