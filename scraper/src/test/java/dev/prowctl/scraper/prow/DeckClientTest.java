package dev.prowctl.scraper.prow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import dev.prowctl.http.ProgressListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okio.Buffer;

/** The HTTP path against a local fake deck. */
class DeckClientTest {

    private final OkHttpClient http = new OkHttpClient();
    private MockWebServer deck;

    @BeforeEach
    void start() throws IOException {
        deck = new MockWebServer();
        deck.start();
    }

    @AfterEach
    void stop() {
        deck.close();
    }

    private DeckClient client(Duration timeout, int attempts) {
        return new DeckClient(http, DeckUrl.parse(deck.url("/?job=*oadp*").toString()), timeout, attempts,
                Duration.ofMillis(10));
    }

    private static String payload() {
        return new String(Fixtures.bytes(Fixtures.resource(Fixtures.CASES)), StandardCharsets.UTF_8);
    }

    private static MockResponse ok(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static List<ProwJob> read(DeckClient client) throws IOException {
        List<ProwJob> jobs = new ArrayList<>();
        client.read(jobs::add, ProgressListener.NONE);
        return jobs;
    }

    @Test
    void readsAGzippedPayloadWithTheRightQuery() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(payload().getBytes(StandardCharsets.UTF_8));
        }
        deck.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Encoding", "gzip")
                .setHeader("Content-Type", "application/json").body(new Buffer().write(gz.toByteArray())).build());
        assertThat(read(client(Duration.ofSeconds(5), 1))).hasSize(15);
        RecordedRequest request = deck.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prowjobs.js");
        assertThat(request.getUrl().queryParameter("omit")).isEqualTo("annotations,decoration_config");
        assertThat(request.getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
    }

    @Test
    void readsTheVarForm() throws Exception {
        deck.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/javascript")
                .body("var allBuilds = " + payload() + ";").build());
        assertThat(read(client(Duration.ofSeconds(5), 1))).hasSize(15);
    }

    @Test
    void retriesServerErrorsThenSucceeds() throws Exception {
        deck.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        deck.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "0").build());
        deck.enqueue(ok(payload()));
        assertThat(read(client(Duration.ofSeconds(5), 4))).hasSize(15);
        assertThat(deck.getRequestCount()).isEqualTo(3);
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        for (int i = 0; i < 3; i++) {
            deck.enqueue(new MockResponse.Builder().code(502).body("bad gateway").build());
        }
        assertThatThrownBy(() -> read(client(Duration.ofSeconds(5), 3)))
                .isInstanceOfSatisfying(DeckException.class, e -> assertThat(e.status()).isEqualTo(502))
                .hasMessageContaining("HTTP 502").hasMessageContaining("after 3 attempts");
        assertThat(deck.getRequestCount()).isEqualTo(3);
    }

    @Test
    void doesNotRetryClientErrors() {
        deck.enqueue(new MockResponse.Builder().code(404).body("not found").build());
        assertThatThrownBy(() -> read(client(Duration.ofSeconds(5), 4)))
                .isInstanceOfSatisfying(DeckException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("is the URL a deck?");
        assertThat(deck.getRequestCount()).isEqualTo(1);
    }

    @Test
    void recognisesAnHtmlPage() {
        deck.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<!DOCTYPE html>\n<html><head><title>Prow Status</title></head></html>").build());
        assertThatThrownBy(() -> read(client(Duration.ofSeconds(5), 1))).isInstanceOf(PayloadException.class)
                .hasMessageContaining("returned an HTML page, not prowjobs.js: is the URL a deck?");
    }

    @Test
    void reportsATruncatedBody() {
        String full = payload();
        deck.enqueue(ok(full.substring(0, full.length() / 2)));
        assertThatThrownBy(() -> read(client(Duration.ofSeconds(5), 1)))
                .isInstanceOfSatisfying(PayloadException.class,
                        e -> assertThat(e.problem()).isEqualTo(PayloadException.Problem.TRUNCATED));
    }

    @Test
    void timesOutWhenDeckIsSilent() {
        for (int i = 0; i < 2; i++) {
            deck.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build());
        }
        assertThatThrownBy(() -> read(client(Duration.ofMillis(200), 2))).isInstanceOf(InterruptedIOException.class);
        assertThat(deck.getRequestCount()).isEqualTo(2);
    }

    @Test
    void timesOutWhenTheBodyStalls() {
        deck.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(payload()).throttleBody(1024, 1, TimeUnit.SECONDS).build());
        assertThatThrownBy(() -> read(client(Duration.ofMillis(300), 3))).isInstanceOf(InterruptedIOException.class);
        assertThat(deck.getRequestCount()).as("a body already being read is not retried").isEqualTo(1);
    }

    @Test
    void reportsAnUnreachableDeck() {
        String url = deck.url("/").toString();
        deck.close();
        DeckClient client = new DeckClient(http, DeckUrl.parse(url), Duration.ofSeconds(2), 2, Duration.ofMillis(10));
        assertThatThrownBy(() -> read(client)).isInstanceOf(ConnectException.class);
    }
}
