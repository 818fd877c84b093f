package dev.prowctl.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the long-running commands ({@code relay}, {@code exporter}) share: the {@code --listen HOST:PORT} syntax, and
 * running until SIGTERM or an interrupt, then stopping once.
 */
final class LongRunning {

    private LongRunning() {
    }

    /** {@code HOST:PORT}, {@code [::1]:PORT}, or {@code :PORT} for every interface; a usage error otherwise. */
    static InetSocketAddress listenAddress(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen must be HOST:PORT, not " + listen);
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen port is not a number: " + listen);
        }
        if (port < 0 || port > 65535) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen port out of range: " + listen);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host), port);
        } catch (UnknownHostException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--listen host unknown: " + host);
        }
    }

    /**
     * Waits for SIGTERM (a shutdown hook) or an interrupt of this thread, then runs {@code stop} once. Interrupted
     * inside a running JVM (an embedding caller, a test), it stops as on SIGTERM and removes its hook, so the port,
     * the threads and the hook are not left behind.
     */
    static void runUntilStopped(String name, Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable once = () -> {
            if (stopping.compareAndSet(false, true)) {
                stop.run();
                stopped.countDown();
            }
        };
        Thread hook = new Thread(once, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                once.run();
            } catch (IllegalStateException jvmShuttingDown) {
                // the hook is already running and stops the command
            }
            Thread.currentThread().interrupt();
        }
    }
}
