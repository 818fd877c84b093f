package dev.prowctl.exporter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code GET /metrics}: the Prometheus client's exposition writers (chosen by {@code Accept}: text 0.0.4 or
 * OpenMetrics 1.0), with the encoded body kept until the next scrape changes the values. The values change once
 * per {@code --interval}, but a deck with thousands of jobs makes a body of tens of MB: encoding (and gzipping) it
 * for every one of several Prometheus servers would cost seconds of CPU per request instead of a copy.
 */
final class CachedMetricsHandler implements HttpHandler {

    private record Key(String contentType, boolean gzip) {
    }

    private final ExpositionFormats formats = ExpositionFormats.init();
    private final PrometheusRegistry registry;
    private final LongSupplier version;
    private final Map<Key, byte[]> bodies = new HashMap<>();
    private long cachedVersion = Long.MIN_VALUE;

    /** @param version changes whenever the registry's values may have changed (after each scrape) */
    CachedMetricsHandler(PrometheusRegistry registry, LongSupplier version) {
        this.registry = registry;
        this.version = version;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
        String encodings = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        boolean gzip = encodings != null && encodings.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        byte[] body = body(writer, gzip);
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

    private synchronized byte[] body(ExpositionFormatWriter writer, boolean gzip) throws IOException {
        long now = version.getAsLong();
        if (now != cachedVersion) {
            bodies.clear();
            cachedVersion = now;
        }
        Key key = new Key(writer.getContentType(), gzip);
        byte[] body = bodies.get(key);
        if (body == null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            try (OutputStream out = gzip ? new GZIPOutputStream(bytes, 1 << 16) : bytes) {
                writer.write(out, registry.scrape());
            }
            body = bytes.toByteArray();
            bodies.put(key, body);
        }
        return body;
    }
}
