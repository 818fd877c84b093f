package dev.prowctl.scraper.influx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.http.Retry;

import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Writes line protocol to InfluxDB in batches, gzip-compressed, with nanosecond precision. A batch counts as written
 * only when InfluxDB confirms it (204, or a 2xx with no body); a redirect (never followed) or a 2xx with a body is
 * someone else answering and fails the whole write. A 400 (2.x: 422) that rejects some lines (influx writes the
 * others) is reported line by line in the {@link Result}; 5xx, 408, 429 and connection failures are retried
 * ({@link Retry}; points are idempotent, a repeated batch changes nothing); credentials and missing databases fail
 * the whole write.
 */
public final class InfluxWriter {

    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern LINE_NUMBER = Pattern.compile("line (\\d+): ([^\\n]*)");
    private static final Pattern DROPPED = Pattern.compile(" dropped=(\\d{1,18})$");

    /**
     * A line InfluxDB would not store, and its reason as InfluxDB gave it. {@code line} is null when InfluxDB only
     * said how many lines of a batch it dropped ({@code dropped=N}), not which.
     */
    public record Rejected(String line, String reason) {
    }

    /** Lines sent and the ones InfluxDB rejected. */
    public record Result(int sent, List<Rejected> rejected) {
        public int written() {
            return sent - rejected.size();
        }
    }

    private final OkHttpClient http;
    private final InfluxTarget target;
    private final int batchSize;
    private final Retry retry;

    /**
     * @param attempts     how many times to send a batch in total (at least 1)
     * @param firstBackoff the wait before the second attempt; doubled for each further one, at most 30 s
     */
    public InfluxWriter(OkHttpClient http, InfluxTarget target, int batchSize, int attempts, Duration firstBackoff) {
        this(http, target, batchSize, new Retry(Math.max(1, attempts), firstBackoff, Duration.ofSeconds(30)));
    }

    /** With the retries given (tests inject one that does not really sleep). */
    public InfluxWriter(OkHttpClient http, InfluxTarget target, int batchSize, Retry retry) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        // A redirect on a write is a proxy's login page or a moved server: never a place to send points (and the
        // credentials) to. The caller's client is shared; this copy shares its connection pool.
        this.http = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.target = target;
        this.batchSize = batchSize;
        this.retry = retry;
    }

    /** Writes every line (without LF), batch by batch. */
    public Result write(List<String> lines, ProgressListener progress) throws IOException {
        List<Rejected> rejected = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += batchSize) {
            List<String> batch = lines.subList(from, Math.min(lines.size(), from + batchSize));
            try {
                rejected.addAll(writeBatch(batch));
            } catch (InfluxException e) {
                // the batches before were stored: say so, a failed scrape is not necessarily an empty one
                throw from == 0 ? e : e.after(from - rejected.size(), lines.size());
            }
            progress.update(from + batch.size(), lines.size());
        }
        return new Result(lines.size(), rejected);
    }

    private List<Rejected> writeBatch(List<String> batch) throws IOException {
        Request.Builder builder = new Request.Builder().url(writeUrl())
                .post(RequestBody.create(gzip(batch), TEXT));
        String authorization = authorization();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        Request request = builder.header("Content-Encoding", "gzip").build();
        Retry.Answer<Response> answer = retry.call(() -> http.newCall(request).execute(), Response::code,
                r -> r.header("Retry-After"));
        try (Response response = answer.reply()) {
            int code = response.code();
            if (code >= 300 && code < 400) {
                throw WriteAnswers.redirected(target, code, response.header("Location"));
            }
            String body = response.body().string();
            if (code >= 200 && code < 300) {
                // InfluxDB confirms a write with 204 (or an empty 2xx); anything with a body is someone else
                if (body.isEmpty()) {
                    return List.of();
                }
                throw WriteAnswers.notAWriteAnswer(target, code, response.header("Content-Type"), body);
            }
            String message = errorMessage(body);
            if (code == 400 || code == 422) {
                // 400 (1.x, 3.x) and 422 (2.x): a partial write, the lines not named were stored
                return rejectedLines(batch, message);
            }
            throw WriteAnswers.failure(target, code, message, answer.attempts());
        }
    }

    /**
     * Which lines a 400 (or 2.x's 422) rejected. InfluxDB 1.x names each one ({@code unable to parse '<line>':
     * <reason>}); 2.x names line numbers ({@code line 3: <reason>}); 1.x's other partial writes only count them
     * ({@code ... dropped=2}): that many unnamed rejections. When none of these matches, the whole batch counts as
     * rejected.
     */
    static List<Rejected> rejectedLines(List<String> batch, String message) {
        List<Rejected> rejected = new ArrayList<>();
        for (String line : batch) {
            String marker = "unable to parse '" + line + "': ";
            int at = message.indexOf(marker);
            if (at >= 0) {
                String reason = message.substring(at + marker.length());
                int end = reason.indexOf('\n');
                reason = end >= 0 ? reason.substring(0, end) : reason;
                rejected.add(new Rejected(line, reason.replaceFirst(" dropped=\\d+$", "")));
            }
        }
        if (rejected.isEmpty()) {
            Matcher m = LINE_NUMBER.matcher(message);
            while (m.find()) {
                int index = Integer.parseInt(m.group(1)) - 1;
                if (index >= 0 && index < batch.size()) {
                    rejected.add(new Rejected(batch.get(index), m.group(2)));
                }
            }
        }
        if (rejected.isEmpty()) {
            Matcher dropped = DROPPED.matcher(message);
            if (dropped.find()) {
                // 1.x "partial write: points beyond retention policy dropped=2": the others were stored
                String reason = message.substring(0, dropped.start()).strip();
                long count = Math.min(batch.size(), Long.parseLong(dropped.group(1)));
                for (long i = 0; i < count; i++) {
                    rejected.add(new Rejected(null, reason));
                }
                return rejected;
            }
            String reason = message.isEmpty() ? "HTTP 400 with no reason given" : message;
            for (String line : batch) {
                rejected.add(new Rejected(line, reason));
            }
        }
        return rejected;
    }

    /** The {@code error} (1.x) or {@code message} (2.x) of an error answer, else the raw body. */
    static String errorMessage(String body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json != null && json.hasNonNull("error")) {
                return json.get("error").asText();
            }
            if (json != null && json.hasNonNull("message")) {
                return json.get("message").asText();
            }
        } catch (IOException notJson) {
            // plain text answer (e.g. "404 page not found")
        }
        return body.strip();
    }

    private HttpUrl writeUrl() {
        HttpUrl.Builder url = target.url().newBuilder();
        if (target instanceof InfluxTarget.V1 v1) {
            url.addPathSegment("write").addQueryParameter("db", v1.database());
            if (v1.retentionPolicy() != null) {
                url.addQueryParameter("rp", v1.retentionPolicy());
            }
        } else if (target instanceof InfluxTarget.V2 v2) {
            url.addPathSegments("api/v2/write").addQueryParameter("org", v2.org())
                    .addQueryParameter("bucket", v2.bucket());
        }
        return url.addQueryParameter("precision", "ns").build();
    }

    /** Basic auth for 1.x with a user, {@code Token} for 2.x/3.x, else none. */
    private String authorization() {
        if (target instanceof InfluxTarget.V1 v1 && v1.user() != null) {
            return Credentials.basic(v1.user(), v1.password() == null ? "" : v1.password(), StandardCharsets.UTF_8);
        }
        if (target instanceof InfluxTarget.V2 v2) {
            return "Token " + v2.token();
        }
        return null;
    }

    private static byte[] gzip(List<String> batch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 128);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 1 << 16)) {
            for (String line : batch) {
                gzip.write(line.getBytes(StandardCharsets.UTF_8));
                gzip.write('\n');
            }
        }
        return bytes.toByteArray();
    }
}
