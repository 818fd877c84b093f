package dev.prowctl.scraper.flake;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * GETs for the artifacts lookups, shared by the GCS API and gcsweb clients: one OkHttp client (injected, so the
 * connection pool is the process's), a per-attempt timeout that never reaches past the overall deadline, and
 * retries with backoff and jitter on 429/5xx/connection errors. Counts every attempt it makes.
 */
final class ArtifactsHttp {

    /** A final answer: the status code and, for 2xx, the body. */
    record Answer(int code, String body) {
        boolean ok() {
            return code >= 200 && code < 300;
        }
    }

    /** The largest body read (listing pages are a few KB, junit_operator.xml a few MB). */
    static final long MAX_BODY = 64L << 20;

    private final OkHttpClient client;
    private final RetryPolicy policy;
    private final AtomicInteger attempts = new AtomicInteger();

    ArtifactsHttp(OkHttpClient client, RetryPolicy policy) {
        this.client = client;
        this.policy = policy;
    }

    /** How many HTTP requests were sent (retries included). */
    int requests() {
        return attempts.get();
    }

    /**
     * GETs {@code url}; returns the first non-retryable answer (2xx, 3xx that OkHttp did not follow, 4xx other than
     * 408/429). Throws when retries are exhausted, the deadline passed, or the thread was interrupted.
     */
    Answer get(HttpUrl url, Deadline deadline) throws LookupFailed {
        String lastProblem = null;
        Duration serverPause = null;
        for (int attempt = 0; attempt <= policy.retries(); attempt++) {
            if (attempt > 0) {
                pause(serverPause != null ? serverPause : policy.backoff(attempt - 1), deadline, url, lastProblem);
                serverPause = null;
            }
            deadline.check("GET " + url);
            Duration timeout = min(policy.requestTimeout(), deadline.remaining());
            Call call = client.newCall(new Request.Builder().url(url).get().build());
            call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            attempts.incrementAndGet();
            try (Response response = call.execute()) {
                int code = response.code();
                if (RetryPolicy.retryable(code)) {
                    lastProblem = "HTTP " + code;
                    Duration retryAfter = retryAfter(response);
                    if (retryAfter != null) {
                        serverPause = min(retryAfter, policy.max());
                    }
                    continue;
                }
                // at most MAX_BODY bytes: a bigger junit file arrives cut and is reported as unreadable
                return new Answer(code, response.isSuccessful() ? response.peekBody(MAX_BODY).string() : "");
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new LookupFailed.DeadlinePassed("interrupted at the deadline during GET " + url);
                }
                if (deadline.passed()) {
                    throw new LookupFailed.DeadlinePassed("deadline passed during GET " + url);
                }
                lastProblem = "timed out after " + timeout.toMillis() + " ms";
            } catch (UnknownHostException e) {
                // A name that does not resolve will not resolve a second later: defer now instead of spending
                // the retries (and, across hundreds of runs, the whole deadline) on it.
                throw new LookupFailed("GET " + url + " failed: unknown host " + url.host(), e);
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        throw new LookupFailed("GET " + url + " failed after " + (policy.retries() + 1) + " attempts: "
                + lastProblem);
    }

    private static void pause(Duration pause, Deadline deadline, HttpUrl url, String lastProblem)
            throws LookupFailed {
        if (pause.compareTo(deadline.remaining()) >= 0) {
            throw new LookupFailed.DeadlinePassed("deadline passed while retrying GET " + url + " (" + lastProblem
                    + ")");
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupFailed.DeadlinePassed("interrupted at the deadline while retrying GET " + url);
        }
    }

    /** {@code Retry-After} in seconds (the HTTP-date form is not used by GCS). */
    private static Duration retryAfter(Response response) {
        String value = response.header("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
