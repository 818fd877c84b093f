package dev.prowctl.scraper.prow;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Consumer;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads deck's {@code prowjobs.js} once per scrape. okhttp asks for gzip and unpacks it transparently; the body is
 * parsed while it arrives. 5xx, 429, connection failures and timeouts before the body starts are retried with
 * exponential backoff; other 4xx are reported at once. A failure in the middle of the body is not retried (the items
 * before it were already handed on) and surfaces as a truncated payload or a timeout.
 */
public final class DeckClient implements ProwJobSource {

    private final OkHttpClient http;
    private final DeckUrl deck;
    private final int attempts;
    private final Duration firstBackoff;

    /**
     * @param http         the process's client; {@code timeout} becomes its connect and read timeout (the longest
     *                     silence allowed from deck)
     * @param attempts     how many times to try in total (at least 1)
     * @param firstBackoff the wait before the second attempt; doubled for each further one
     */
    public DeckClient(OkHttpClient http, DeckUrl deck, Duration timeout, int attempts, Duration firstBackoff) {
        this.http = http.newBuilder().connectTimeout(timeout).readTimeout(timeout).build();
        this.deck = deck;
        this.attempts = Math.max(1, attempts);
        this.firstBackoff = firstBackoff;
    }

    @Override
    public ProwJobReader.Summary read(Consumer<ProwJob> sink, Progress progress) throws IOException {
        Request request = new Request.Builder().url(deck.prowjobsUrl())
                .header("Accept", "application/json, application/javascript;q=0.9, */*;q=0.1")
                .build();
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= attempts;
            Response response;
            try {
                response = http.newCall(request).execute();
            } catch (UnknownHostException e) {
                throw e;
            } catch (IOException e) {
                if (last) {
                    throw e;
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
                continue;
            }
            try (response) {
                int code = response.code();
                if (response.isSuccessful()) {
                    ResponseBody body = response.body();
                    try (InputStream in = new CountingInputStream(body.byteStream(), body.contentLength(),
                            progress::bytesRead)) {
                        return ProwJobReader.read(in, "deck " + deck.base(), sink);
                    }
                }
                boolean retryable = code >= 500 || code == 429;
                if (!retryable || last) {
                    throw new DeckException(code, describe(code, attempt));
                }
                Duration wait = retryAfter(response, backoff);
                sleep(wait);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private String describe(int code, int attempt) {
        String url = deck.prowjobsUrl().toString();
        String tries = attempt > 1 ? " (after " + attempt + " attempts)" : "";
        return switch (code) {
            case 401, 403 -> "deck refused " + url + " with HTTP " + code + ": this deck needs credentials";
            case 404 -> "deck answered HTTP 404 for " + url + ": is the URL a deck?";
            default -> "deck answered HTTP " + code + " for " + url + tries;
        };
    }

    /** Honours a small {@code Retry-After} in seconds (429/503), capped so a scrape never stalls for long. */
    private static Duration retryAfter(Response response, Duration backoff) {
        String header = response.header("Retry-After");
        if (header != null && header.matches("\\d{1,4}")) {
            Duration asked = Duration.ofSeconds(Long.parseLong(header));
            return asked.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : asked;
        }
        return backoff;
    }

    private static void sleep(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry deck");
        }
    }
}
