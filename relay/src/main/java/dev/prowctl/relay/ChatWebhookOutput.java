package dev.prowctl.relay;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A chat incoming webhook in Slack's format ({@code {"text": ...}}), which Slack, Mattermost and Rocket.Chat all
 * accept. Messages queued together are sent as one post, one line each, so a burst costs few requests. Any answer
 * but 2xx is retried (429 after its Retry-After).
 */
public final class ChatWebhookOutput implements Output {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Slack truncates text beyond 40,000 characters; stay well under it. */
    private static final int MAX_POST_CHARS = 16_000;

    private final OkHttpClient http;
    private final HttpUrl url;
    private final String name;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile String lastFailure;

    public ChatWebhookOutput(OkHttpClient http, HttpUrl url) {
        this.http = http;
        this.url = url;
        // The path of a Slack webhook URL is its secret: show only scheme and host.
        this.name = "chat " + url.scheme() + "://" + url.host() + (url.port() == HttpUrl.defaultPort(url.scheme())
                ? "" : ":" + url.port());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxBatch() {
        return 500;
    }

    @Override
    public void deliver(List<String> batch, IntConsumer delivered) throws IOException {
        StringBuilder text = new StringBuilder();
        int count = 0;
        for (String message : batch) {
            if (count > 0 && text.length() + 1 + message.length() > MAX_POST_CHARS) {
                break;
            }
            text.append(count > 0 ? "\n" : "").append(message);
            count++;
        }
        ObjectNode payload = mapper.createObjectNode();
        payload.put("text", text.toString());
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create(mapper.writeValueAsBytes(payload), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            if (response.isSuccessful()) {
                lastFailure = null;
                delivered.accept(count);
                return;
            }
            lastFailure = "HTTP " + response.code();
            if (response.code() == 429) {
                throw new RetryLater("rate limited (HTTP 429)", retryAfterMillis(response.header("Retry-After")));
            }
            throw new IOException("answered HTTP " + response.code());
        } catch (IOException e) {
            if (lastFailure == null) {
                lastFailure = e.getMessage();
            }
            throw e;
        }
    }

    private static long retryAfterMillis(String header) {
        if (header == null) {
            return 1000;
        }
        try {
            return Math.min(Long.parseLong(header.strip()), 300) * 1000;
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    @Override
    public Optional<String> problem() {
        String failure = lastFailure;
        return failure == null ? Optional.empty() : Optional.of("last post failed: " + failure);
    }
}
