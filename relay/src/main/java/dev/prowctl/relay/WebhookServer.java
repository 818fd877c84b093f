package dev.prowctl.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of the relay, on an embedded Jetty (answers in {@link WebhookRoutes}). Jetty reads headers and
 * bodies without holding a thread, so idle or slow clients (slowloris) only hold a connection: connections are
 * limited ({@value #MAX_CONNECTIONS}), closed after {@value #IDLE_TIMEOUT_MILLIS} ms without a byte, and a body must
 * arrive within {@value #BODY_TIMEOUT_MILLIS} ms. All of it per server instance; nothing JVM-wide.
 */
public final class WebhookServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 1 << 20;
    static final int MAX_CONNECTIONS = 1024;
    static final long IDLE_TIMEOUT_MILLIS = 5_000;
    static final long BODY_TIMEOUT_MILLIS = 10_000;
    /** How much of a too-large body is read and dropped so that its 413 reaches the sender (no memory is kept). */
    static final long DISCARD_LIMIT_BYTES = 16L << 20;

    private final Server server;
    private final ServerConnector connector;
    private final WebhookRoutes routes;
    private final WebhookAuth auth;
    private final Consumer<String> accessLog;
    private final ObjectMapper mapper = new ObjectMapper();
    private final InFlight inFlight = new InFlight();

    /**
     * Binds the address at once (so that a port in use is reported here).
     *
     * @param accessLog receives one JSON line per request, or null for none
     */
    public WebhookServer(InetSocketAddress address, Relay relay, WebhookAuth auth, RelayLog log,
            Consumer<String> accessLog) throws IOException {
        this.routes = new WebhookRoutes(relay, auth, log);
        this.auth = auth;
        this.accessLog = accessLog;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("relay-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.setAcceptQueueSize(512);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                inFlight.begin();
                WebhookServer.this.handle(request, response, Callback.from(() -> {
                    inFlight.end();
                    callback.succeeded();
                }, failure -> {
                    inFlight.end();
                    callback.failed(failure);
                }));
                return true;
            }
        });
        // Jetty's graceful stop also waits for idle keep-alive connections; close() waits for requests itself.
        server.setStopTimeout(0);
        connector.open();
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("webhook server did not start: " + e.getMessage(), e);
        }
    }

    /** The address actually bound (the port is chosen by the OS when 0 was asked). */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** Stops accepting requests; those being handled get up to a second to finish. */
    @Override
    public void close() {
        try {
            connector.stop();
            inFlight.awaitNone(1000);
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Stopping anyway: the threads are daemons.
        }
    }

    /** Counts the requests being handled, so that stopping waits for them and not for idle connections. */
    private static final class InFlight {
        private int count;

        synchronized void begin() {
            count++;
        }

        synchronized void end() {
            count--;
            notifyAll();
        }

        synchronized void awaitNone(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (count > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }
    }

    private void handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        WebhookAuth.Headers headers = request.getHeaders()::get;
        String method = request.getMethod();
        Optional<WebhookRoutes.Reply> early = routes.beforeBody(method, Request.getPathInContext(request), headers);
        if (early.isPresent()) {
            respond(request, response, callback, early.get(), started);
            return;
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            refuseTooLarge(request, response, callback, started);
            return;
        }
        String remote = Request.getRemoteAddr(request);
        Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES)
                .orTimeout(BODY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .whenComplete((body, failure) -> {
                    // Jetty ends the read with IllegalStateException("Max size ... exceeded") when a body without
                    // a Content-Length (chunked) passes the limit
                    if (failure != null && cause(failure) instanceof IllegalStateException) {
                        refuseTooLarge(request, response, callback, started);
                        return;
                    }
                    WebhookRoutes.Reply reply = failure == null ? routes.webhook(remote, headers, body)
                            : unreadable(failure);
                    respond(request, response, callback, reply, started);
                });
    }

    /**
     * Answers 413 once the rest of the body was read and dropped (at most {@link #DISCARD_LIMIT_BYTES}, within the
     * body timeout; nothing is kept): closing a connection with unread bytes resets it, and the sender would never
     * see the 413.
     */
    private void refuseTooLarge(Request request, Response response, Callback callback, long started) {
        discard(request, DISCARD_LIMIT_BYTES).orTimeout(BODY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .whenComplete((ended, failure) -> respond(request, response, callback,
                        WebhookRoutes.Reply.error(413, "body larger than 1 MiB"), started));
    }

    /** Reads and releases what {@code source} sends, up to {@code limit} bytes; true when the body ended. */
    static CompletableFuture<Boolean> discard(Content.Source source, long limit) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        new Runnable() {
            private long seen;

            @Override
            public void run() {
                while (true) {
                    Content.Chunk chunk = source.read();
                    if (chunk == null) {
                        source.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        done.complete(false);
                        return;
                    }
                    seen += chunk.remaining();
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (last || seen > limit) {
                        done.complete(last);
                        return;
                    }
                }
            }
        }.run();
        return done;
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static WebhookRoutes.Reply unreadable(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof TimeoutException) {
            return WebhookRoutes.Reply.error(408, "body not received within " + BODY_TIMEOUT_MILLIS / 1000 + " s");
        }
        return WebhookRoutes.Reply.error(400, "could not read the request: " + cause.getMessage());
    }

    private void respond(Request request, Response response, Callback callback, WebhookRoutes.Reply reply,
            long started) {
        if (reply.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
                    auth.usesBasic() ? "Basic realm=\"prowctl relay\"" : "Bearer realm=\"prowctl relay\"");
        }
        if (reply.status() == 405) {
            response.getHeaders().put(HttpHeader.ALLOW,
                    Request.getPathInContext(request).equals("/healthz") ? "GET, HEAD" : "POST");
        }
        if (reply.status() == 503 && reply.dialect() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        }
        if (reply.status() == 408 || reply.status() == 413) {
            // The rest of the body is not read: the connection cannot carry another request.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        byte[] body = (reply.json() + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = "HEAD".equals(request.getMethod());
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        if (accessLog != null) {
            ObjectNode line = mapper.createObjectNode();
            line.put("time", Instant.now().toString());
            line.put("remote", Request.getRemoteAddr(request));
            line.put("method", request.getMethod());
            line.put("path", Request.getPathInContext(request));
            line.put("status", reply.status());
            if (reply.dialect() != null) {
                line.put("dialect", reply.dialect().name().toLowerCase(Locale.ROOT));
                line.put("alerts", reply.alerts());
                line.put("messages", reply.messages());
            }
            line.put("ms", (System.nanoTime() - started) / 1_000_000.0);
            accessLog.accept(line.toString());
        }
    }
}
