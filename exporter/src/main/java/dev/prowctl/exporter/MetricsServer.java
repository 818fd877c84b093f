package dev.prowctl.exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The exporter's HTTP endpoints on the JDK's server: {@code GET /metrics} through the Prometheus client's
 * exposition writers ({@link CachedMetricsHandler}: text 0.0.4, or OpenMetrics 1.0 when {@code Accept} asks for it;
 * gzip when accepted),
 * {@code GET /healthz} (200 while the process runs) and {@code GET /readyz} (200 or 503 with the reason).
 */
public final class MetricsServer implements AutoCloseable {

    /**
     * Requests served at once. An answer is a copy of ready bytes, so more threads than cores add no throughput;
     * a few more keep slow readers from holding up the others. With 20 concurrent scrapers on 2 cores, 2, 4, 8 and
     * 20 threads measured the same within the machine's noise (bench/exporter).
     */
    private static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService executor;

    private final CachedMetricsHandler metrics;

    private MetricsServer(HttpServer server, ExecutorService executor, CachedMetricsHandler metrics) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** The values changed (a scrape ended): {@code /metrics} encodes them again before it serves them. */
    public void refresh() {
        metrics.refresh();
    }

    /**
     * Binds {@code address} (port 0: any free port) and starts serving. Call {@link #refresh} after each scrape.
     */
    public static MetricsServer start(InetSocketAddress address, PrometheusRegistry registry,
                                      Supplier<Exporter.Readiness> readiness) throws IOException {
        // TCP_NODELAY: with Nagle's algorithm the small last segment of each write (bodies go out in slices) waited
        // for the client's delayed ACK (40 ms on Linux), which put half the /metrics answers at 40 ms in the bench. The JDK's server
        // sets it only through this property, read when the first server of the process is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "prowctl-exporter-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        CachedMetricsHandler metrics = new CachedMetricsHandler(registry);
        server.createContext("/metrics", getOnly(metrics));
        server.createContext("/healthz", getOnly(exchange -> text(exchange, 200, "ok\n")));
        server.createContext("/readyz", getOnly(exchange -> {
            Exporter.Readiness ready = readiness.get();
            text(exchange, ready.ready() ? 200 : 503, (ready.ready() ? "ready: " : "not ready: ") + ready.reason()
                    + "\n");
        }));
        server.createContext("/", exchange -> text(exchange, 404, "not found: try /metrics, /healthz, /readyz\n"));
        server.start();
        return new MetricsServer(server, executor, metrics);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static HttpHandler getOnly(HttpHandler handler) {
        return exchange -> {
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                text(exchange, 405, "method not allowed\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String context = exchange.getHttpContext().getPath();
            if (!path.equals(context)) {
                text(exchange, 404, "not found\n");
                return;
            }
            handler.handle(exchange);
        };
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    /** Stops accepting, lets requests in progress finish for up to a second. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
