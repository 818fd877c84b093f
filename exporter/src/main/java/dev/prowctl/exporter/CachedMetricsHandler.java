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
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

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

    /**
     * The body goes to the socket in slices of this size: a socket channel copies a heap array into a temporary
     * direct buffer as large as the write and keeps it cached in the thread (no size limit unless
     * {@code jdk.nio.maxCachedBufferSize} is set), so writing a 10 MB body whole pinned hundreds of MB of native
     * memory across the request threads (bench/exporter: 577 MB RSS after plain-text requests, 148 MB in slices).
     */
    private static final int WRITE_CHUNK = 256 * 1024;

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
            body = encode(writer, gzip, registry.scrape());
            current.putIfAbsent(key, body);
        }
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            for (int off = 0; !head && off < body.length; off += WRITE_CHUNK) {
                out.write(body, off, Math.min(WRITE_CHUNK, body.length - off));
            }
        } catch (IOException scraperWentAway) {
            // a Prometheus that timed out and closed the connection: nothing to tell anyone
        }
    }

    /** The values changed: encodes the variants in use again and swaps them in. */
    synchronized void refresh() {
        Map<Key, byte[]> fresh = new ConcurrentHashMap<>();
        MetricSnapshots values = bodies.isEmpty() ? null : registry.scrape(); // once for every variant
        for (Key key : bodies.keySet()) {
            try {
                fresh.put(key, encode(formats.findWriter(key.contentType()), key.gzip(), values));
            } catch (IOException | RuntimeException e) {
                // left out: the next request of this variant encodes it
            }
        }
        bodies = fresh;
    }

    private static byte[] encode(ExpositionFormatWriter writer, boolean gzip, MetricSnapshots values)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes, 1 << 16) : bytes) {
            writer.write(out, values);
        }
        return bytes.toByteArray();
    }
}
