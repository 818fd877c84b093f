package dev.prowctl.scraper.flake;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.Redaction;
import dev.prowctl.http.Retry;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * GETs for the artifacts lookups, shared by the GCS API and gcsweb clients: one OkHttp client (injected, so the
 * connection pool is the process's), a per-attempt timeout that never reaches past the overall deadline, and the
 * {@link Retry} of the {@link RetryPolicy} on 408/429/5xx/connection errors. Counts every attempt it makes.
 */
public final class ArtifactsHttp {

    /** A final answer: the status code and, for 2xx, the body. */
    public record Answer(int code, String body) {
        public boolean ok() {
            return code >= 200 && code < 300;
        }
    }

    /** One attempt's answer, read in full within the attempt (a body cut short is retried like any failure). */
    private record Fetched(int code, String retryAfter, String body) implements Closeable {
        @Override
        public void close() {
        }
    }

    /** The largest body read (listing pages are a few KB, junit_operator.xml a few MB). */
    static final long MAX_BODY = 64L << 20;

    private final OkHttpClient client;
    private final RetryPolicy policy;
    private final Retry retry;
    private final AtomicInteger attempts = new AtomicInteger();

    /** GETs on {@code client} with {@code policy}'s timeout and retries, waiting on the given clock and sleeper. */
    public static ArtifactsHttp create(OkHttpClient client, RetryPolicy policy, dev.prowctl.http.TimeSource time,
                                       dev.prowctl.http.Sleeper sleeper) {
        return new ArtifactsHttp(client, policy, policy.retry(time, sleeper));
    }

    ArtifactsHttp(OkHttpClient client, RetryPolicy policy, Retry retry) {
        this.client = client;
        this.policy = policy;
        this.retry = retry;
    }

    /** How many HTTP requests were sent (retries included). */
    public int requests() {
        return attempts.get();
    }

    /**
     * GETs {@code url}; returns the first non-retryable answer (2xx, 3xx that OkHttp did not follow, 4xx other than
     * 408/429). Throws when retries are exhausted, the deadline passed, or the thread was interrupted.
     */
    public Answer get(HttpUrl url, Deadline deadline) throws LookupFailed {
        String what = "GET " + Redaction.url(url.toString());
        try {
            Retry.Answer<Fetched> answer = retry.call(() -> fetch(url, deadline), Fetched::code,
                    Fetched::retryAfter, deadline);
            Fetched fetched = answer.reply();
            if (Retry.transientStatus(fetched.code())) {
                throw LookupFailed.http(fetched.code(), what + " failed after " + answer.attempts()
                        + " attempts: HTTP " + fetched.code());
            }
            return new Answer(fetched.code(), fetched.body());
        } catch (Retry.DeadlineReached e) {
            throw new LookupFailed.DeadlinePassed(e.lastProblem() == null ? "deadline passed before " + what
                    : "deadline passed while retrying " + what + " (" + Redaction.text(e.lastProblem()) + ")");
        } catch (UnknownHostException e) {
            // A name that does not resolve will not resolve a second later: defer now instead of spending
            // the retries (and, across hundreds of runs, the whole deadline) on it.
            throw new LookupFailed("unknown-host", true, what + " failed: unknown host " + url.host(), e);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new LookupFailed.DeadlinePassed("interrupted at the deadline during " + what);
            }
            if (deadline.passed()) {
                throw new LookupFailed.DeadlinePassed("deadline passed during " + what);
            }
            throw new LookupFailed("timeout", false, what + " failed after " + retry.attempts()
                    + " attempts: timed out (" + policy.requestTimeout().toMillis() + " ms per attempt)", e);
        } catch (IOException e) {
            throw new LookupFailed("network", false, what + " failed after " + retry.attempts() + " attempts: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private Fetched fetch(HttpUrl url, Deadline deadline) throws IOException {
        Duration timeout = min(policy.requestTimeout(), deadline.remaining());
        Call call = client.newCall(new Request.Builder().url(url).get().build());
        call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        attempts.incrementAndGet();
        try (Response response = call.execute()) {
            int code = response.code();
            // at most MAX_BODY bytes: a bigger junit file arrives cut and is reported as unreadable
            String body = response.isSuccessful() ? response.peekBody(MAX_BODY).string() : "";
            return new Fetched(code, response.header("Retry-After"), body);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
