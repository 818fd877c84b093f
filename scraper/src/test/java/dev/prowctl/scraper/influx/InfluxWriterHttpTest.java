package dev.prowctl.scraper.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import dev.prowctl.http.ProgressListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

import dev.prowctl.http.Retry;
import dev.prowctl.http.TimeSource;

/**
 * What the local influxd 1.6 cannot show: the 2.x/3.x API (a fake that checks what InfluxDB 2.x checks), its error
 * format, credentials and retries.
 */
class InfluxWriterHttpTest {

    private final OkHttpClient http = new OkHttpClient();
    private MockWebServer influx;

    @BeforeEach
    void start() throws IOException {
        influx = new MockWebServer();
        influx.start();
    }

    @AfterEach
    void stop() {
        influx.close();
    }

    private InfluxWriter v2(int batchSize) {
        return new InfluxWriter(http, new InfluxTarget.V2(influx.url("/"), "my-org", "prow builds", "s3cret"),
                batchSize, 3, Duration.ofMillis(10));
    }

    private static String gunzip(RecordedRequest request) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(request.getBody().toByteArray()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesBatchesToTheV2ApiWithTokenAndGzip() throws Exception {
        influx.enqueue(new MockResponse.Builder().code(204).build());
        influx.enqueue(new MockResponse.Builder().code(204).build());
        InfluxWriter.Result result = v2(2).write(List.of("m v=1i 1", "m v=2i 2", "m v=3i 3"),
                ProgressListener.NONE);
        assertThat(result.rejected()).isEmpty();
        RecordedRequest first = influx.takeRequest();
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/api/v2/write");
        assertThat(first.getUrl().queryParameter("org")).isEqualTo("my-org");
        assertThat(first.getUrl().queryParameter("bucket")).isEqualTo("prow builds");
        assertThat(first.getUrl().queryParameter("precision")).isEqualTo("ns");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Token s3cret");
        assertThat(first.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(gunzip(first)).isEqualTo("m v=1i 1\nm v=2i 2\n");
        assertThat(gunzip(influx.takeRequest())).isEqualTo("m v=3i 3\n");
    }

    @Test
    void sendsBasicAuthAndTheRetentionPolicyToV1() throws Exception {
        influx.enqueue(new MockResponse.Builder().code(204).build());
        new InfluxWriter(http, new InfluxTarget.V1(influx.url("/influx/"), "prow", "two_weeks", "telegraf", "pw"),
                5000, 1, Duration.ofMillis(10)).write(List.of("m v=1i 1"), ProgressListener.NONE);
        RecordedRequest request = influx.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/influx/write");
        assertThat(request.getUrl().queryParameter("db")).isEqualTo("prow");
        assertThat(request.getUrl().queryParameter("rp")).isEqualTo("two_weeks");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic dGVsZWdyYWY6cHc=");
    }

    @Test
    void readsV2PartialWriteErrors() throws Exception {
        influx.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
                .body("{\"code\":\"invalid\",\"message\":\"partial write has occurred, errors encountered on line(s):"
                        + "\\nline 2: no field values found\\nline 3: invalid number\"}").build());
        InfluxWriter.Result result = v2(5000).write(List.of("m v=1i 1", "m 2", "m v=x3 3"), ProgressListener.NONE);
        assertThat(result.rejected()).extracting(InfluxWriter.Rejected::line).containsExactly("m 2", "m v=x3 3");
        assertThat(result.rejected()).extracting(InfluxWriter.Rejected::reason)
                .containsExactly("no field values found", "invalid number");
        assertThat(result.written()).isEqualTo(1);
    }

    @Test
    void reportsWrongCredentialsWithoutTheToken() {
        influx.enqueue(new MockResponse.Builder().code(401)
                .body("{\"code\":\"unauthorized\",\"message\":\"unauthorized access\"}").build());
        assertThatThrownBy(() -> v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOfSatisfying(InfluxException.class,
                        e -> assertThat(e.reason()).isEqualTo(InfluxException.Reason.AUTH))
                .hasMessageContaining("HTTP 401").hasMessageContaining("unauthorized access")
                .hasMessageNotContaining("s3cret");
        assertThat(influx.getRequestCount()).isEqualTo(1);
    }

    @Test
    void namesAMissingBucket() {
        influx.enqueue(new MockResponse.Builder().code(404)
                .body("{\"code\":\"not found\",\"message\":\"bucket \\\"prow builds\\\" not found\"}").build());
        assertThatThrownBy(() -> v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOfSatisfying(InfluxException.class,
                        e -> assertThat(e.reason()).isEqualTo(InfluxException.Reason.NOT_FOUND))
                .hasMessageContaining("no bucket \"prow builds\" in org \"my-org\"");
    }

    @Test
    void retriesServerErrorsAndGivesUpAfterTheLastAttempt() throws Exception {
        influx.enqueue(new MockResponse.Builder().code(503).body("overloaded").build());
        influx.enqueue(new MockResponse.Builder().code(204).build());
        assertThat(v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE).rejected()).isEmpty();
        assertThat(influx.getRequestCount()).isEqualTo(2);

        for (int i = 0; i < 3; i++) {
            influx.enqueue(new MockResponse.Builder().code(500).body("{\"error\":\"engine: cache full\"}").build());
        }
        assertThatThrownBy(() -> v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOfSatisfying(InfluxException.class,
                        e -> assertThat(e.reason()).isEqualTo(InfluxException.Reason.SERVER_ERROR))
                .hasMessageContaining("HTTP 500 after 3 attempts: engine: cache full");
    }

    @Test
    void aRateLimitIsRetriedAfterItsRetryAfter() throws Exception {
        List<Duration> waits = new ArrayList<>();
        InfluxWriter writer = new InfluxWriter(http, new InfluxTarget.V2(influx.url("/"), "my-org", "prow", "t"),
                5000, new Retry(3, Duration.ofMillis(500), Duration.ofSeconds(30), TimeSource.system(), waits::add,
                new Random()));
        influx.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").build());
        influx.enqueue(new MockResponse.Builder().code(204).build());

        assertThat(writer.write(List.of("m v=1i 1"), ProgressListener.NONE).written()).isEqualTo(1);
        assertThat(influx.getRequestCount()).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void reportsProgressPerBatch() throws Exception {
        for (int i = 0; i < 3; i++) {
            influx.enqueue(new MockResponse.Builder().code(204).build());
        }
        List<Long> seen = new java.util.ArrayList<>();
        v2(2).write(List.of("m v=1i 1", "m v=1i 2", "m v=1i 3", "m v=1i 4", "m v=1i 5"),
                (done, total) -> seen.add(done * 100 + total));
        assertThat(seen).containsExactly(205L, 405L, 505L);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsAFailedWriteAndIsNotFollowed(int code) {
        // if the writer followed it, the second answer would confirm the write
        influx.enqueue(new MockResponse.Builder().code(code).setHeader("Location", "/oauth/login?rd=%2Fwrite")
                .build());
        influx.enqueue(new MockResponse.Builder().code(204).build());
        assertThatThrownBy(() -> v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOfSatisfying(InfluxException.class,
                        e -> assertThat(e.reason()).isEqualTo(InfluxException.Reason.SERVER_ERROR))
                .hasMessage("InfluxDB at " + influx.url("/") + " answered " + code + " to /oauth/login?rd=%2Fwrite:"
                        + " a proxy in front of it? Writes do not follow redirects; give the URL InfluxDB itself"
                        + " answers on");
        assertThat(influx.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRedirectToAnotherHostIsNamedWithoutItsSecrets() {
        influx.enqueue(new MockResponse.Builder().code(302)
                .setHeader("Location", "https://sso.example.com/auth?client_id=x&code=hush&state=1").build());
        assertThatThrownBy(() -> v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .hasMessageContaining("answered 302 to https://sso.example.com/auth?client_id=x&code=***&state=1:")
                .hasMessageNotContaining("hush");
    }

    @Test
    void a200WithAPageOrJsonIsNotAConfirmedWrite() {
        influx.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<!DOCTYPE html><html><title>Sign in</title></html>").build());
        assertThatThrownBy(() -> v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .isInstanceOfSatisfying(InfluxException.class,
                        e -> assertThat(e.reason()).isEqualTo(InfluxException.Reason.SERVER_ERROR))
                .hasMessage("InfluxDB at " + influx.url("/") + " answered 200 with an HTML page instead of 204 No"
                        + " Content, so nothing confirms the write: a proxy in front of it, or not an InfluxDB?");

        influx.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{}").build());
        assertThatThrownBy(() -> v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE))
                .hasMessageContaining("answered 200 with \"{}\" instead of 204 No Content");
    }

    @Test
    void anEmpty2xxIsAConfirmedWrite() throws Exception {
        // influxd 1.x answers 200 with no body to an empty write; 2xx without a body is InfluxDB's "stored"
        influx.enqueue(new MockResponse.Builder().code(200).build());
        assertThat(v2(5000).write(List.of("m v=1i 1"), ProgressListener.NONE).written()).isEqualTo(1);
    }

    @Test
    void a422PartialWriteOfV2CountsTheDroppedPointsAndGoesOn() throws Exception {
        // InfluxDB 2.x: 422 when points fall outside the bucket's retention; it stored the others
        influx.enqueue(new MockResponse.Builder().code(422).body("{\"code\":\"unprocessable entity\",\"message\":"
                + "\"failure writing points to database: partial write: points beyond retention policy dropped=2\"}")
                .build());
        influx.enqueue(new MockResponse.Builder().code(204).build());
        InfluxWriter.Result result = v2(3).write(List.of("m v=1i 1", "m v=2i 2", "m v=3i 3", "m v=4i 4"),
                ProgressListener.NONE);
        assertThat(result.rejected()).hasSize(2).allSatisfy(r -> {
            assertThat(r.line()).isNull();
            assertThat(r.reason()).isEqualTo(
                    "failure writing points to database: partial write: points beyond retention policy");
        });
        assertThat(result.written()).isEqualTo(2);
        assertThat(influx.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aFailureAfterSomeBatchesSaysHowManyPointsWereWritten() {
        influx.enqueue(new MockResponse.Builder().code(204).build());
        influx.enqueue(new MockResponse.Builder().code(401).body("{\"message\":\"token expired\"}").build());
        assertThatThrownBy(() -> v2(2).write(List.of("m v=1i 1", "m v=2i 2", "m v=3i 3"), ProgressListener.NONE))
                .isInstanceOf(InfluxException.class)
                .hasMessageEndingWith("(token expired) (2 of 3 points were written before)");
    }
}
