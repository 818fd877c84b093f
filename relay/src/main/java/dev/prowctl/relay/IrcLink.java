package dev.prowctl.relay;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.prowctl.http.TerminalText;

/**
 * Keeps the relay in its channel: a thread connects, lets an {@link IrcSession} register and join, and reconnects
 * with doubling backoff (on the relay's {@link RelayClock}) when the connection ends. Deliveries wait here until the
 * channel is joined, and for the PONG that confirms the lines sent before its PING: the server answers a PING only
 * after processing everything before it, so nothing leaves the queue on a hunch.
 */
final class IrcLink implements IrcSession.Listener {
    /** Real-time limits: they only guard against a server that went silent. */
    private static final long ACK_TIMEOUT_MILLIS = 60_000;
    private static final long READY_WAIT_MILLIS = 30_000;
    private static final long MIN_BACKOFF_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final IrcOutput.Settings settings;
    private final RelayLog log;
    private final RelayClock clock;
    private final BiConsumer<String, String> onCommand;
    private final Object state = new Object();
    private volatile boolean closed;
    private Thread thread;
    // Guarded by state.
    private IrcConnection connection;
    private IrcSession session;
    private boolean joined;
    private String problem = "connecting";
    private String lastPong;
    /** Why the server refused a line of the window being confirmed, or null. */
    private String refusal;
    /** Why the last window was not said, until a window is; shown in /healthz. */
    private String lastRefusal;
    private long pingCounter;

    /** @param onCommand gets (nick, command) for each line addressed to the relay in its channel */
    IrcLink(IrcOutput.Settings settings, RelayLog log, RelayClock clock, BiConsumer<String, String> onCommand) {
        this.settings = settings;
        this.log = log;
        this.clock = clock;
        this.onCommand = onCommand;
    }

    void start() {
        thread = new Thread(this::connectLoop, "relay-irc");
        thread.setDaemon(true);
        thread.start();
    }

    /** Empty when joined, or why not. */
    Optional<String> problem() {
        synchronized (state) {
            if (session != null && joined) {
                return Optional.ofNullable(lastRefusal);
            }
            return Optional.of(problem);
        }
    }

    /** The session once it is in the channel; throws after {@value #READY_WAIT_MILLIS} ms or when closed. */
    IrcSession awaitJoined() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_WAIT_MILLIS);
        synchronized (state) {
            while (!closed && (session == null || !joined)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IOException("not in " + settings.target().channel() + " yet: " + problem);
                }
                state.wait(left);
            }
            if (closed) {
                throw new IOException("IRC output closed");
            }
            return session;
        }
    }

    /** Called before the lines of a window are sent: refusals from now on are this window's. */
    void startWindow() {
        synchronized (state) {
            refusal = null;
        }
    }

    /**
     * Sends a PING and waits for its PONG: every line sent before it has then been processed by the server. Throws
     * when the server refused one of the lines since {@link #startWindow()} (the window is then not delivered).
     */
    void confirm(IrcSession sent) throws IOException, InterruptedException {
        String token;
        synchronized (state) {
            token = "prowctl-" + (++pingCounter);
        }
        sent.send("PING :" + token);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MILLIS);
        synchronized (state) {
            while (!token.equals(lastPong)) {
                if (session != sent) {
                    throw new IOException("IRC connection lost before the server confirmed the last lines");
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    connection.close();
                    throw new IOException("IRC server did not answer PING within " + ACK_TIMEOUT_MILLIS / 1000 + " s");
                }
                state.wait(left);
            }
            lastRefusal = refusal;
            if (refusal != null) {
                throw new IOException("not delivered: " + refusal);
            }
        }
    }

    private void connectLoop() {
        long backoff = MIN_BACKOFF_MILLIS;
        while (!closed) {
            IrcConnection conn = null;
            String reason;
            try {
                conn = IrcConnection.open(settings.target(), settings.tls());
                IrcSession next = new IrcSession(conn, settings.target(), settings.nick(), settings.password(), this);
                synchronized (state) {
                    connection = conn;
                    session = next;
                    joined = false;
                    problem = "registering";
                }
                if (next.serve()) {
                    backoff = MIN_BACKOFF_MILLIS;
                }
                reason = "connection closed by the server";
            } catch (IOException e) {
                reason = describe(e);
            } catch (RuntimeException e) {
                reason = "unexpected error: " + e;
            }
            lost(conn, reason);
            if (conn != null) {
                conn.close();
            }
            if (closed) {
                break;
            }
            log.info("irc " + settings.target() + ": " + TerminalText.oneLine(reason) + "; reconnecting in " + backoff
                    + " ms");
            try {
                clock.sleep(Duration.ofMillis(backoff));
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private void lost(IrcConnection conn, String reason) {
        synchronized (state) {
            problem = reason;
            if (conn != null && connection == conn) {
                connection = null;
                session = null;
                joined = false;
            }
            state.notifyAll();
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof SocketTimeoutException ? "no data from the server: " + message : message;
    }

    @Override
    public void joined(IrcSession joinedSession) {
        synchronized (state) {
            if (session == joinedSession) {
                joined = true;
                state.notifyAll();
            }
        }
        log.info("irc: joined " + settings.target().channel() + " on " + settings.target().host() + " as "
                + TerminalText.oneLine(joinedSession.nick()));
    }

    @Override
    public void kicked(IrcSession kickedSession) {
        synchronized (state) {
            if (session == kickedSession) {
                joined = false;
                problem = "kicked from " + settings.target().channel();
            }
        }
    }

    @Override
    public void pong(String token) {
        synchronized (state) {
            lastPong = token;
            state.notifyAll();
        }
    }

    @Override
    public void refused(IrcSession refusedSession, String reason) {
        synchronized (state) {
            if (session == refusedSession) {
                refusal = reason;
            }
        }
    }

    @Override
    public void addressed(String fromNick, String command) {
        onCommand.accept(fromNick, command);
    }

    /** Says goodbye to the server, closes the connection and stops reconnecting. */
    void close() {
        closed = true;
        IrcSession current;
        IrcConnection conn;
        synchronized (state) {
            current = session;
            conn = connection;
            state.notifyAll();
        }
        if (current != null) {
            try {
                current.send("QUIT :relay stopping");
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        if (conn != null) {
            conn.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
