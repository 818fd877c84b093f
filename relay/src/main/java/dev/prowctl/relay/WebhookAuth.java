package dev.prowctl.relay;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may post alerts: a Bearer token, Basic credentials and/or Grafana's HMAC signature. A request is let in when
 * it satisfies any configured method; with none configured every request is (allowed on loopback only).
 * Comparisons take constant time; secrets are never part of a message.
 *
 * <p>A signature with a timestamp is accepted once: its signature is remembered (at most
 * {@value #MAX_REMEMBERED_SIGNATURES}, oldest forgotten first) until its timestamp leaves the window, so a replay
 * inside the window is refused. A signature without a timestamp cannot be told from its replay: only a timestamp
 * stops replays.
 */
public final class WebhookAuth {
    public static final String SIGNATURE_HEADER = "X-Grafana-Alerting-Signature";
    public static final String DEFAULT_TIMESTAMP_HEADER = "X-Grafana-Alerting-Timestamp";
    /** Bounds the replay memory: at 2,000 signed webhooks/s a 5-minute window still fits. */
    static final int MAX_REMEMBERED_SIGNATURES = 1_000_000;

    private final byte[] bearer;
    private final byte[] basic;
    private final byte[] hmacSecret;
    private final String timestampHeader;
    private final Duration maxSkew;
    private final Clock clock;
    /** Accepted timestamped signatures and the epoch second after which they can no longer be replayed. */
    private final LinkedHashMap<String, Long> recentSignatures = new LinkedHashMap<>();

    /** Any argument may be null (method not used). {@code basicUserPass} is {@code user:password}. */
    public WebhookAuth(String bearerToken, String basicUserPass, String hmacSecret, String timestampHeader,
            Duration maxSkew, Clock clock) {
        this.bearer = bytes(bearerToken);
        this.basic = basicUserPass == null ? null
                : Base64.getEncoder().encodeToString(basicUserPass.getBytes(StandardCharsets.UTF_8))
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
            // The scheme is case-insensitive (RFC 9110 11.1); the credentials are not.
            String value = authorization.strip();
            if (bearer != null && value.regionMatches(true, 0, "Bearer ", 0, 7)
                    && MessageDigest.isEqual(credentials(value, 7), bearer)) {
                return Optional.empty();
            }
            if (basic != null && value.regionMatches(true, 0, "Basic ", 0, 6)
                    && MessageDigest.isEqual(credentials(value, 6), basic)) {
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

    private static byte[] credentials(String authorization, int schemeLength) {
        return authorization.substring(schemeLength).strip().getBytes(StandardCharsets.UTF_8);
    }

    private Optional<String> checkSignature(String signature, String timestamp, byte[] body) {
        byte[] signed = body;
        long now = clock.instant().getEpochSecond();
        long seconds = 0;
        boolean timestamped = timestamp != null && !timestamp.isBlank();
        if (timestamped) {
            try {
                seconds = Long.parseLong(timestamp.strip());
            } catch (NumberFormatException e) {
                return Optional.of("signature timestamp is not a number of seconds");
            }
            // Compared without subtracting: now - seconds overflows for timestamps near Long.MIN_VALUE.
            long maxAge = maxSkew.toSeconds();
            if (seconds < saturatedAdd(now, -maxAge) || seconds > saturatedAdd(now, maxAge)) {
                return Optional.of("signature timestamp is outside the allowed window of " + maxAge + " s");
            }
            byte[] prefix = (timestamp.strip() + ":").getBytes(StandardCharsets.UTF_8);
            signed = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, signed, 0, prefix.length);
            System.arraycopy(body, 0, signed, prefix.length, body.length);
        }
        String expectedHex = HexFormat.of().formatHex(hmac(hmacSecret, signed));
        byte[] given = signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expectedHex.getBytes(StandardCharsets.US_ASCII), given)) {
            return Optional.of("wrong signature");
        }
        if (timestamped && !claim(expectedHex, saturatedAdd(seconds, maxSkew.toSeconds()), now)) {
            return Optional.of("signature already used (replayed request)");
        }
        return Optional.empty();
    }

    /** Remembers a valid signature; false when it was already accepted within its window. */
    private boolean claim(String signature, long forgetAfter, long now) {
        synchronized (recentSignatures) {
            Iterator<Map.Entry<String, Long>> oldest = recentSignatures.entrySet().iterator();
            while (oldest.hasNext()) {
                Map.Entry<String, Long> entry = oldest.next();
                if (entry.getValue() >= now && recentSignatures.size() < MAX_REMEMBERED_SIGNATURES) {
                    break;
                }
                oldest.remove();
            }
            return recentSignatures.putIfAbsent(signature, forgetAfter) == null;
        }
    }

    /**
     * Forgets the signature of a request that was let in but not queued (answered 503 or 400), so that the
     * sender's retry of the very same request is not taken for a replay.
     */
    public void release(Headers headers) {
        String signature = headers.first(SIGNATURE_HEADER);
        if (hmacSecret != null && signature != null) {
            synchronized (recentSignatures) {
                recentSignatures.remove(signature.strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow when both have the same sign and the sum has the other.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
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
