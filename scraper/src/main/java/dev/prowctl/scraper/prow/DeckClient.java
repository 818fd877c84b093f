package dev.prowctl.scraper.prow;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.http.Retry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads deck's {@code prowjobs.js} once per scrape. okhttp asks for gzip and unpacks it transparently; the body is
 * parsed while it arrives. 5xx, 408, 429, connection failures and timeouts before the body starts are retried
 * ({@link Retry}: backoff with jitter, or deck's {@code Retry-After}, at most 30 s); other 4xx are reported at once. A
 * failure in the middle of the body is not retried (the items before it were already handed on) and surfaces as a
 * truncated payload or a timeout.
 */
public final class DeckClient implements ProwJobSource {

    /** The longest wait between two attempts, a {@code Retry-After} included: a scrape never stalls for long. */
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final OkHttpClient http;
    private final DeckUrl deck;
    private final Retry retry;

    /**
     * @param http         the process's client; {@code timeout} becomes its connect and read timeout (the longest
     *                     silence allowed from deck)
     * @param attempts     how many times to try in total (at least 1)
     * @param firstBackoff the wait before the second attempt; doubled for each further one
     */
    public DeckClient(OkHttpClient http, DeckUrl deck, Duration timeout, int attempts, Duration firstBackoff) {
        this(http, deck, timeout, new Retry(Math.max(1, attempts), firstBackoff, MAX_DELAY));
    }

    /** With the retries given (tests inject one that does not really sleep). */
    public DeckClient(OkHttpClient http, DeckUrl deck, Duration timeout, Retry retry) {
        this.http = http.newBuilder().connectTimeout(timeout).readTimeout(timeout).build();
        this.deck = deck;
        this.retry = retry;
    }

    @Override
    public ProwJobReader.Summary read(Consumer<ProwJob> sink, ProgressListener progress) throws IOException {
        Request request = new Request.Builder().url(deck.prowjobsUrl())
                .header("Accept", "application/json, application/javascript;q=0.9, */*;q=0.1")
                .build();
        Retry.Answer<Response> answer = retry.call(() -> http.newCall(request).execute(), Response::code,
                r -> r.header("Retry-After"));
        try (Response response = answer.reply()) {
            if (!response.isSuccessful()) {
                throw new DeckException(response.code(), describe(response.code(), answer.attempts()));
            }
            ResponseBody body = response.body();
            try (InputStream in = new CountingInputStream(body.byteStream(), body.contentLength(),
                    progress)) {
                return ProwJobReader.read(in, "deck " + deck.base(), sink);
            }
        }
    }

    private String describe(int code, int attempts) {
        String url = deck.prowjobsUrl().toString();
        String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
        return switch (code) {
            case 401, 403 -> "deck refused " + url + " with HTTP " + code + ": this deck needs credentials";
            case 404 -> "deck answered HTTP 404 for " + url + ": is the URL a deck?";
            default -> "deck answered HTTP " + code + " for " + url + tries;
        };
    }
}
