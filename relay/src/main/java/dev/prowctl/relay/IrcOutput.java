package dev.prowctl.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Says relayed messages in one IRC channel. A connection thread registers (SASL PLAIN, or NickServ when the server
 * has no SASL), joins, answers PING, and reconnects with backoff when the connection drops. Deliveries wait for the
 * connection, pace their lines, and send a PING after each small window of lines: the server answers it only after
 * processing the lines before it, so its PONG confirms delivery (nothing is dropped from the queue on a hunch) and
 * keeps the relay from running ahead of the server's flood control.
 */
public final class IrcOutput implements Output {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 300_000;
    private static final long ACK_TIMEOUT_MILLIS = 60_000;
    private static final long READY_WAIT_MILLIS = 30_000;
    private static final long MIN_BACKOFF_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    /** Lines per PING: small enough that a window never fills a server's receive queue. */
    private static final int WINDOW_LINES = 4;
    private static final int WINDOW_BYTES = 1800;
    /** Room left for the ":nick!user@host " the server puts before our line when relaying it. */
    private static final int SOURCE_PREFIX_RESERVE = 80;

    /**
     * The relay's settings for one IRC network. {@code tls} makes the {@code ircs://} connections; null means the
     * JVM's default trust store.
     */
    public record Settings(IrcTarget target, String nick, String password, double linesPerSecond, int burst,
            SSLSocketFactory tls) {
    }

    /**
     * TLS that trusts the certificates in a PEM file (a private CA or a self-signed server certificate), with
     * hostname verification as usual.
     */
    public static SSLSocketFactory trusting(Path pemFile) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pemFile)) {
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new GeneralSecurityException("no certificate in " + pemFile);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private final Settings settings;
    private final IrcBot bot;
    private final RelayLog log;
    private final Pacer pacer;
    private final Object state = new Object();
    private final ExecutorService botExecutor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "relay-irc-bot");
        thread.setDaemon(true);
        return thread;
    });

    private Thread connectionThread;
    private Predicate<List<String>> queueForMe = messages -> false;
    private volatile boolean closed;
    // Guarded by state.
    private Connection connection;
    private String problem = "connecting";
    private String lastPong;
    private long pingCounter;

    public IrcOutput(Settings settings, IrcBot bot, RelayLog log) {
        this.settings = settings;
        this.bot = bot;
        this.log = log;
        this.pacer = new Pacer(settings.linesPerSecond(), settings.burst());
    }

    @Override
    public String name() {
        return settings.target().toString();
    }

    @Override
    public int maxBatch() {
        return 1000;
    }

    @Override
    public void start(Predicate<List<String>> queueForMe) {
        this.queueForMe = queueForMe;
        connectionThread = new Thread(this::connectLoop, "relay-irc");
        connectionThread.setDaemon(true);
        connectionThread.start();
    }

    @Override
    public Optional<String> problem() {
        synchronized (state) {
            return connection != null && connection.joined ? Optional.empty() : Optional.of(problem);
        }
    }

    /** Bytes a message may take after {@code PRIVMSG #channel :}, leaving room for the relayed source prefix. */
    int maxMessageBytes() {
        return IrcText.MAX_LINE_BYTES - IrcText.utf8Length("PRIVMSG " + settings.target().channel() + " :")
                - SOURCE_PREFIX_RESERVE - settings.nick().length();
    }

    @Override
    public void deliver(List<String> batch, IntConsumer delivered) throws IOException, InterruptedException {
        Connection conn = awaitJoined();
        boolean coalesce = batch.size() > pacer.available();
        List<IrcText.Line> lines = IrcText.layout(batch, maxMessageBytes(), coalesce);
        String prefix = "PRIVMSG " + settings.target().channel() + " :";
        int next = 0;
        while (next < lines.size()) {
            int windowBytes = 0;
            int end = next;
            while (end < lines.size() && end - next < WINDOW_LINES
                    && (end == next || windowBytes + IrcText.utf8Length(lines.get(end).text()) <= WINDOW_BYTES)) {
                windowBytes += IrcText.utf8Length(lines.get(end).text());
                end++;
            }
            for (int i = next; i < end; i++) {
                pacer.acquire();
                conn.send(prefix + lines.get(i).text());
            }
            awaitAck(conn);
            delivered.accept(lines.get(end - 1).messagesDone());
            next = end;
        }
    }

    private Connection awaitJoined() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_WAIT_MILLIS);
        synchronized (state) {
            while (!closed && (connection == null || !connection.joined)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IOException("not in " + settings.target().channel() + " yet: " + problem);
                }
                state.wait(left);
            }
            if (closed) {
                throw new IOException("IRC output closed");
            }
            return connection;
        }
    }

    /** Sends a PING and waits for its PONG: every line sent before it has then been processed by the server. */
    private void awaitAck(Connection conn) throws IOException, InterruptedException {
        String token;
        synchronized (state) {
            token = "prowctl-" + (++pingCounter);
        }
        conn.send("PING :" + token);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MILLIS);
        synchronized (state) {
            while (!token.equals(lastPong)) {
                if (connection != conn) {
                    throw new IOException("IRC connection lost before the server confirmed the last lines");
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    conn.close();
                    throw new IOException("IRC server did not answer PING within " + ACK_TIMEOUT_MILLIS / 1000 + " s");
                }
                state.wait(left);
            }
        }
    }

    private void connectLoop() {
        long backoff = MIN_BACKOFF_MILLIS;
        while (!closed) {
            Connection conn = null;
            try {
                conn = Connection.open(settings.target(), settings.tls() == null
                        ? (SSLSocketFactory) SSLSocketFactory.getDefault() : settings.tls());
                synchronized (state) {
                    connection = conn;
                    problem = "registering";
                }
                boolean joined = serve(conn);
                if (joined) {
                    backoff = MIN_BACKOFF_MILLIS;
                }
                setProblem(conn, "connection closed by the server");
            } catch (IOException e) {
                setProblem(conn, describe(e));
            } catch (RuntimeException e) {
                setProblem(conn, "unexpected error: " + e);
            } finally {
                if (conn != null) {
                    conn.close();
                }
            }
            if (closed) {
                break;
            }
            log.info("irc " + settings.target() + ": " + problemText() + "; reconnecting in " + backoff + " ms");
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private String problemText() {
        synchronized (state) {
            return problem;
        }
    }

    private void setProblem(Connection conn, String reason) {
        synchronized (state) {
            problem = reason;
            if (connection == conn) {
                connection = null;
            }
            state.notifyAll();
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof SocketTimeoutException ? "no data from the server: " + message : message;
    }

    /** Registers, joins and handles what the server says until the connection ends; true if it joined. */
    private boolean serve(Connection conn) throws IOException {
        String nick = settings.nick();
        String password = settings.password();
        boolean sasl = password != null;
        if (sasl) {
            conn.send("CAP REQ :sasl");
        }
        conn.send("NICK " + nick);
        conn.send("USER " + userName(nick) + " 0 * :prowctl alert relay");
        boolean registered = false;
        boolean identified = false;
        boolean everJoined = false;
        String line;
        while ((line = conn.reader.readLine()) != null) {
            IrcMessage message = IrcMessage.parse(line);
            switch (message.command()) {
                case "PING" -> conn.send("PONG :" + message.trailing());
                case "PONG" -> {
                    synchronized (state) {
                        lastPong = message.trailing();
                        state.notifyAll();
                    }
                }
                case "CAP" -> {
                    String sub = message.param(1);
                    if ("ACK".equals(sub) && message.trailing().contains("sasl")) {
                        conn.send("AUTHENTICATE PLAIN");
                    } else if ("NAK".equals(sub)) {
                        conn.send("CAP END");
                    }
                }
                case "AUTHENTICATE" -> {
                    if (message.param(0).equals("+") && password != null) {
                        String plain = nick + "\0" + nick + "\0" + password;
                        conn.send("AUTHENTICATE "
                                + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                case "903" -> {
                    identified = true;
                    conn.send("CAP END");
                }
                case "902", "904", "905", "906", "907", "908" -> conn.send("CAP END");
                case "433", "432" -> {
                    if (!registered) {
                        nick = nick.length() < 15 ? nick + "_" : nick.substring(0, 14) + "_";
                        conn.nick = nick;
                        conn.send("NICK " + nick);
                    }
                }
                case "001" -> {
                    registered = true;
                    nick = message.param(0).isEmpty() ? nick : message.param(0);
                    conn.nick = nick;
                    if (password != null && !identified) {
                        conn.send("PRIVMSG NickServ :IDENTIFY " + password);
                    }
                    join(conn);
                }
                case "JOIN" -> {
                    if (message.nick().equalsIgnoreCase(conn.nick) && channelMatches(message.param(0),
                            message.trailing())) {
                        everJoined = true;
                        synchronized (state) {
                            conn.joined = true;
                            state.notifyAll();
                        }
                        log.info("irc: joined " + settings.target().channel() + " on " + settings.target().host()
                                + " as " + conn.nick);
                    }
                }
                case "KICK" -> {
                    if (message.param(1).equalsIgnoreCase(conn.nick)) {
                        synchronized (state) {
                            conn.joined = false;
                            problem = "kicked from " + settings.target().channel();
                        }
                        join(conn);
                    }
                }
                case "471", "473", "474", "475", "403", "405" ->
                    throw new IOException("cannot join " + settings.target().channel() + ": " + message.trailing());
                case "ERROR" -> throw new IOException("server closed the connection: " + message.trailing());
                case "PRIVMSG" -> onPrivmsg(conn, message);
                default -> {
                    // Other numerics and notices need no answer.
                }
            }
        }
        return everJoined;
    }

    private boolean channelMatches(String param, String trailing) {
        String channel = settings.target().channel();
        return channel.equalsIgnoreCase(param) || channel.equalsIgnoreCase(trailing);
    }

    private void join(Connection conn) throws IOException {
        String key = settings.target().key();
        conn.send("JOIN " + settings.target().channel() + (key == null || key.isEmpty() ? "" : " " + key));
    }

    private void onPrivmsg(Connection conn, IrcMessage message) {
        if (!settings.target().channel().equalsIgnoreCase(message.param(0))) {
            return;
        }
        String command = IrcBot.addressedTo(conn.nick, message.trailing());
        if (command == null) {
            return;
        }
        botExecutor.execute(() -> {
            List<String> answer = bot.answer(command);
            if (!queueForMe.test(answer)) {
                log.info("irc: queue full, dropped the bot's answer to " + message.nick());
            }
        });
    }

    /** IRC user names are short and plain. */
    private static String userName(String nick) {
        String user = nick.replaceAll("[^A-Za-z0-9]", "");
        user = user.isEmpty() ? "prowctl" : user;
        return user.length() > 10 ? user.substring(0, 10) : user;
    }

    @Override
    public void close() {
        closed = true;
        Connection conn;
        synchronized (state) {
            conn = connection;
            state.notifyAll();
        }
        if (conn != null) {
            try {
                conn.send("QUIT :relay stopping");
            } catch (IOException e) {
                // Closing anyway.
            }
            conn.close();
        }
        if (connectionThread != null) {
            connectionThread.interrupt();
        }
        botExecutor.shutdownNow();
    }

    /** One TCP (or TLS) connection to the server. */
    private static final class Connection {
        final Socket socket;
        final OutputStream out;
        final BufferedReader reader;
        volatile String nick = "";
        volatile boolean joined;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        static Connection open(IrcTarget target, SSLSocketFactory tlsFactory) throws IOException {
            Socket plain = new Socket();
            try {
                plain.connect(new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MILLIS);
                plain.setSoTimeout(READ_TIMEOUT_MILLIS);
                plain.setTcpNoDelay(true);
                if (!target.tls()) {
                    return new Connection(plain);
                }
                SSLSocket tls = (SSLSocket) tlsFactory.createSocket(plain, target.host(), target.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                return new Connection(tls);
            } catch (IOException e) {
                plain.close();
                throw e;
            }
        }

        /** Writes one command; CR, LF and NUL were already removed, this is the last guard. */
        void send(String line) throws IOException {
            String safe = IrcText.sanitize(line);
            byte[] bytes = safe.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > IrcText.MAX_LINE_BYTES) {
                throw new IllegalStateException("IRC line over 510 bytes");
            }
            byte[] framed = new byte[bytes.length + 2];
            System.arraycopy(bytes, 0, framed, 0, bytes.length);
            framed[bytes.length] = '\r';
            framed[bytes.length + 1] = '\n';
            synchronized (this) {
                out.write(framed);
                out.flush();
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Already gone.
            }
        }
    }

    /** Paces lines: a burst, then a steady rate (ngIRCd lets ~10 through at once, then 3-4 per second). */
    static final class Pacer {
        private final double perSecond;
        private final int burst;
        private double tokens;
        private long last = System.nanoTime();

        Pacer(double perSecond, int burst) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized int available() {
            refill();
            return (int) tokens;
        }

        synchronized void acquire() throws InterruptedException {
            refill();
            while (tokens < 1) {
                long waitNanos = (long) ((1 - tokens) / perSecond * 1e9);
                TimeUnit.NANOSECONDS.sleep(Math.max(waitNanos, 1_000_000));
                refill();
            }
            tokens -= 1;
        }

        private void refill() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
        }
    }

    /** A parsed server line: {@code [:prefix] COMMAND params [:trailing]}. */
    record IrcMessage(String prefix, String command, List<String> params, String trailing) {

        static IrcMessage parse(String line) {
            String rest = line;
            String prefix = "";
            if (rest.startsWith("@")) {
                int space = rest.indexOf(' ');
                rest = space < 0 ? "" : rest.substring(space + 1);
            }
            if (rest.startsWith(":")) {
                int space = rest.indexOf(' ');
                prefix = space < 0 ? rest.substring(1) : rest.substring(1, space);
                rest = space < 0 ? "" : rest.substring(space + 1);
            }
            String trailing = "";
            int colon = rest.indexOf(" :");
            if (colon >= 0) {
                trailing = rest.substring(colon + 2);
                rest = rest.substring(0, colon);
            } else if (rest.startsWith(":")) {
                trailing = rest.substring(1);
                rest = "";
            }
            List<String> parts = new ArrayList<>(List.of(rest.strip().split(" +")));
            String command = parts.isEmpty() ? "" : parts.remove(0).toUpperCase(java.util.Locale.ROOT);
            if (colon < 0 && !parts.isEmpty() && trailing.isEmpty()) {
                trailing = parts.get(parts.size() - 1);
            }
            return new IrcMessage(prefix, command, parts, trailing);
        }

        String param(int index) {
            return index < params.size() ? params.get(index) : "";
        }

        String nick() {
            int bang = prefix.indexOf('!');
            return bang < 0 ? prefix : prefix.substring(0, bang);
        }
    }
}
