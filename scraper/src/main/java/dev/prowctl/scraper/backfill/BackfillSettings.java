package dev.prowctl.scraper.backfill;

import dev.prowctl.scraper.flake.RetryPolicy;
import okhttp3.HttpUrl;

/**
 * How a {@link Backfill} reaches GCS and how hard it works.
 *
 * @param gcsApiUrl    the GCS JSON API ({@code --gcs-api-url})
 * @param gcswebPrefix gcsweb's prefix ending with {@code /gcs/} ({@code --gcsweb-url}), the fallback for a bucket
 *                     the API refuses; null: none
 * @param concurrency  requests in flight at most ({@code --concurrency})
 * @param retry        per-request timeout, retries and backoff (the flake lookups' policy)
 * @param batchSize    runs read, classified and emitted together; a killed backfill repeats at most one batch
 *                     and the reads ahead of it ({@code concurrency})
 */
public record BackfillSettings(HttpUrl gcsApiUrl, HttpUrl gcswebPrefix, int concurrency, RetryPolicy retry,
                               int batchSize) {

    /**
     * Runs per batch by default: few enough to repeat after a kill (the reads ahead keep the connections busy
     * between batches), enough that a write to InfluxDB carries many points.
     */
    public static final int DEFAULT_BATCH = 100;

    /** {@code --concurrency} of {@code backfill} by default: GCS serves far more, and a backfill is all waiting. */
    public static final int DEFAULT_CONCURRENCY = 32;

    public BackfillSettings {
        if (gcsApiUrl == null) {
            throw new IllegalArgumentException("the GCS API URL is required");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1");
        }
    }
}
