package dev.prowctl.exporter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code GET /metrics}: the Prometheus client's exposition writers (chosen by {@code Accept}: text 0.0.4 or
 * OpenMetrics 1.0), with the encoded body kept until the next scrape. The values change once per {@code --interval},
 * but a deck with thousands of jobs makes a body of tens of MB: encoding (and gzipping) it for every request of
 * every Prometheus would cost CPU seconds per request instead of a copy. After each scrape, {@link #refresh} encodes
 * again, on the scrape thread, the variants asked for since the previous scrape, and then swaps them in: a request
 * never waits for an encoding except the first of its variant.
 */
final class CachedMetricsHandler implements HttpHandler {

    private record Key(String contentType, boolean gzip) {
    }

    private final ExpositionFormats formats = ExpositionFormats.init();
    private final PrometheusRegistry registry;
    private volatile Map<Key, byte[]> bodies = new ConcurrentHashMap<>();

    CachedMetricsHandler(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
        String encodings = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        boolean gzip = encodings != null && encodings.toLowerCase(Locale.ROOT).contains("gzip");
        Key key = new Key(writer.getContentType(), gzip);
        Map<Key, byte[]> current = bodies;
        byte[] body = current.get(key);
        if (body == null) {
            body = encode(writer, gzip);
            current.putIfAbsent(key, body);
        }
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                out.write(body);
            }
        } catch (IOException scraperWentAway) {
            // a Prometheus that timed out and closed the connection: nothing to tell anyone
        }
    }

    /** The values changed: encodes the variants in use again and swaps them in. */
    synchronized void refresh() {
        Map<Key, byte[]> fresh = new ConcurrentHashMap<>();
        for (Key key : bodies.keySet()) {
            try {
                fresh.put(key, encode(formats.findWriter(key.contentType()), key.gzip()));
            } catch (IOException | RuntimeException e) {
                // left out: the next request of this variant encodes it
            }
        }
        bodies = fresh;
    }

    private byte[] encode(ExpositionFormatWriter writer, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes, 1 << 16) : bytes) {
            writer.write(out, registry.scrape());
        }
        return bytes.toByteArray();
    }
}
