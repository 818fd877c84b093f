package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The authentication rules on their own: timestamps, replays, schemes. */
class WebhookAuthTest {
    private static final long NOW = 1_750_000_000L;
    private static final byte[] BODY = "{\"alerts\":[]}".getBytes(StandardCharsets.UTF_8);
    private final WebhookAuth hmac = new WebhookAuth(null, null, "k", null, Duration.ofMinutes(5),
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    private static WebhookAuth.Headers signed(String timestamp) {
        String signature = HexFormat.of().formatHex(WebhookAuth.hmac("k".getBytes(StandardCharsets.UTF_8),
                (timestamp + ":" + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = Map.of(WebhookAuth.SIGNATURE_HEADER, signature,
                WebhookAuth.DEFAULT_TIMESTAMP_HEADER, timestamp);
        return headers::get;
    }

    @Test
    void timestampsOutsideTheWindowFailInBothDirectionsWithoutOverflow() {
        assertThat(hmac.check(signed(Long.toString(NOW - 301)), BODY)).get().asString().contains("window");
        assertThat(hmac.check(signed(Long.toString(NOW + 301)), BODY)).get().asString().contains("window");
        // NOW - MIN_VALUE overflows to a negative "skew" that used to pass the check.
        assertThat(hmac.check(signed(Long.toString(Long.MIN_VALUE)), BODY)).get().asString().contains("window");
        assertThat(hmac.check(signed(Long.toString(Long.MAX_VALUE)), BODY)).get().asString().contains("window");
        assertThat(hmac.check(signed(Long.toString(NOW + 299)), BODY)).isEmpty();
    }

    @Test
    void aSignedRequestIsAcceptedOnceUnlessItWasReleased() {
        WebhookAuth.Headers request = signed(Long.toString(NOW));
        assertThat(hmac.check(request, BODY)).isEmpty();
        assertThat(hmac.check(request, BODY)).get().asString().contains("replayed");
        // The first one was answered 503: the sender's retry is not a replay.
        hmac.release(request);
        assertThat(hmac.check(request, BODY)).isEmpty();
        assertThat(hmac.check(signed(Long.toString(NOW - 1)), BODY)).isEmpty();
    }

    @Test
    void basicSchemeIsCaseInsensitiveButTheCredentialsAreNot() {
        WebhookAuth basic = new WebhookAuth(null, "am:s3cret", null, null, Duration.ofMinutes(5), Clock.systemUTC());
        String encoded = Base64.getEncoder().encodeToString("am:s3cret".getBytes(StandardCharsets.UTF_8));
        for (String scheme : new String[] {"Basic", "basic", "BASIC"}) {
            assertThat(basic.check(Map.of("Authorization", scheme + " " + encoded)::get, BODY)).as(scheme).isEmpty();
        }
        String wrong = Base64.getEncoder().encodeToString("am:S3CRET".getBytes(StandardCharsets.UTF_8));
        assertThat(basic.check(Map.of("Authorization", "Basic " + wrong)::get, BODY)).isPresent();
    }
}
