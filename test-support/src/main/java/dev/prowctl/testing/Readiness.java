package dev.prowctl.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waiting until a server process the tests started is ready: one loop for every launcher (influxd, ngIRCd,
 * Alertmanager), which fails fast with the server's log when the process exits and stops it on a timeout. And
 * {@link #until}: the same bounded wait for an event a test cannot be told about (Prometheus' next scrape).
 */
public final class Readiness {

    /** How often a probe asks; short, because a server that is up should not keep the tests waiting. */
    private static final Duration POLL = Duration.ofMillis(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Readiness() {
    }

    /** One readiness check; an {@link IOException} means "not yet". */
    @FunctionalInterface
    public interface Probe {
        boolean ready() throws IOException, InterruptedException;
    }

    /**
     * Polls {@code probe} until it says ready. Throws with the log when the process exits first, and stops the
     * process by its PID and throws when {@code timeout} passes.
     */
    public static void await(String name, Process process, Path log, Duration timeout, Probe probe)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + read(log));
            }
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(POLL.toMillis());
        }
        TestEnv.stop(process);
        throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s: " + read(log));
    }

    /** A value a test polls for; an {@link IOException} means "not yet". */
    @FunctionalInterface
    public interface Poll<T> {
        T get() throws IOException, InterruptedException;
    }

    /**
     * Polls {@code poll} every {@code every} until {@code done} accepts its value, and returns that value. After
     * {@code timeout} it throws an {@link AssertionError} naming {@code what} and the last value (or failure) seen:
     * a bounded wait for an event, never a sleep that proves something did not happen.
     */
    public static <T> T until(String what, Duration timeout, Duration every, Poll<T> poll, Predicate<? super T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = "(nothing yet)";
        while (true) {
            try {
                T value = poll.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (IOException notYet) {
                last = notYet;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; last seen: "
                        + last);
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** Ready when a GET of {@code url} answers {@code status}. */
    public static Probe answers(String url, int status) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        return () -> HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status;
    }

    /** Ready when every one of {@code ports} on 127.0.0.1 accepts a TCP connection. */
    public static Probe acceptsConnections(int... ports) {
        return () -> {
            for (int port : ports) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                }
            }
            return true;
        };
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
