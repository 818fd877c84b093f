package dev.prowctl.relay;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may post alerts: a Bearer token, Basic credentials and/or Grafana's HMAC signature. A request is let in when
 * it satisfies any configured method; with none configured every request is (allowed on loopback only).
 * Comparisons take constant time; secrets are never part of a message.
 */
public final class WebhookAuth {
    public static final String SIGNATURE_HEADER = "X-Grafana-Alerting-Signature";
    public static final String DEFAULT_TIMESTAMP_HEADER = "X-Grafana-Alerting-Timestamp";

    private final byte[] bearer;
    private final byte[] basic;
    private final byte[] hmacSecret;
    private final String timestampHeader;
    private final Duration maxSkew;
    private final Clock clock;

    /** Any argument may be null (method not used). {@code basicUserPass} is {@code user:password}. */
    public WebhookAuth(String bearerToken, String basicUserPass, String hmacSecret, String timestampHeader,
            Duration maxSkew, Clock clock) {
        this.bearer = bytes(bearerToken);
        this.basic = basicUserPass == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString(basicUserPass.getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8);
        this.hmacSecret = bytes(hmacSecret);
        this.timestampHeader = timestampHeader == null ? DEFAULT_TIMESTAMP_HEADER : timestampHeader;
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    public static WebhookAuth none() {
        return new WebhookAuth(null, null, null, null, Duration.ofMinutes(5), Clock.systemUTC());
    }

    public boolean configured() {
        return bearer != null || basic != null || hmacSecret != null;
    }

    public boolean usesBasic() {
        return basic != null;
    }

    public String timestampHeader() {
        return timestampHeader;
    }

    /** Reads a header of the request. */
    public interface Headers {
        String first(String name);
    }

    /** Empty when the request may pass, otherwise the reason for the 401 (without secrets). */
    public Optional<String> check(Headers headers, byte[] body) {
        if (!configured()) {
            return Optional.empty();
        }
        String authorization = headers.first("Authorization");
        if (authorization != null) {
            byte[] given = authorization.strip().getBytes(StandardCharsets.UTF_8);
            if (bearer != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    && MessageDigest.isEqual(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8),
                            bearer)) {
                return Optional.empty();
            }
            if (basic != null && MessageDigest.isEqual(given, basic)) {
                return Optional.empty();
            }
        }
        if (hmacSecret != null) {
            String signature = headers.first(SIGNATURE_HEADER);
            if (signature != null) {
                return checkSignature(signature.strip(), headers.first(timestampHeader), body);
            }
        }
        return Optional.of(authorization == null ? "credentials required" : "wrong credentials");
    }

    private Optional<String> checkSignature(String signature, String timestamp, byte[] body) {
        byte[] signed = body;
        if (timestamp != null && !timestamp.isBlank()) {
            long seconds;
            try {
                seconds = Long.parseLong(timestamp.strip());
            } catch (NumberFormatException e) {
                return Optional.of("signature timestamp is not a number of seconds");
            }
            long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
            if (skew > maxSkew.toSeconds()) {
                return Optional.of("signature timestamp is stale (" + skew + " s off)");
            }
            byte[] prefix = (timestamp.strip() + ":").getBytes(StandardCharsets.UTF_8);
            signed = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, signed, 0, prefix.length);
            System.arraycopy(body, 0, signed, prefix.length, body.length);
        }
        byte[] expected = HexFormat.of().formatHex(hmac(hmacSecret, signed)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.empty() : Optional.of("wrong signature");
    }

    /** HMAC-SHA256, as Grafana signs webhook bodies. */
    public static byte[] hmac(byte[] secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] bytes(String secret) {
        return secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }
}
