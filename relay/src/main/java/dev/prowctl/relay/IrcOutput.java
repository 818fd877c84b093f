package dev.prowctl.relay;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

import javax.net.ssl.SSLSocketFactory;

import dev.prowctl.http.TerminalText;

/**
 * Says relayed messages in one IRC channel. The parts: {@link IrcLink} keeps a joined connection (registration in
 * {@link IrcSession}, TLS in {@link IrcTls}), {@link IrcText} makes lines safe and short enough, {@link LinePacer}
 * spaces them out. This class lays out a batch, paces its lines and sends a PING after each small window of lines:
 * the server answers it only after processing the lines before it, so its PONG confirms delivery and keeps the relay
 * from running ahead of the server's flood control. Lines addressed to the relay go to its {@link IrcBot}.
 */
public final class IrcOutput implements Output {
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
            SSLSocketFactory tls, int maxLinesPerAlert) {
        /** With the default of {@value #DEFAULT_MAX_LINES_PER_ALERT} lines per alert. */
        public Settings(IrcTarget target, String nick, String password, double linesPerSecond, int burst,
                SSLSocketFactory tls) {
            this(target, nick, password, linesPerSecond, burst, tls, DEFAULT_MAX_LINES_PER_ALERT);
        }
    }

    /** An alert longer than this many IRC lines is cut, with a pointer to its link. */
    public static final int DEFAULT_MAX_LINES_PER_ALERT = 5;

    private final Settings settings;
    private final IrcBot bot;
    private final RelayLog log;
    private final LinePacer pacer;
    private final IrcLink link;
    private final ExecutorService botExecutor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "relay-irc-bot");
        thread.setDaemon(true);
        return thread;
    });
    private final BotReplies replies;
    private final RelayClock clock;
    private Thread replyThread;

    public IrcOutput(Settings settings, IrcBot bot, RelayLog log) {
        this(settings, bot, log, RelayClock.SYSTEM);
    }

    /** @param clock paces lines and times reconnects */
    public IrcOutput(Settings settings, IrcBot bot, RelayLog log, RelayClock clock) {
        this.settings = settings;
        this.bot = bot;
        this.log = log;
        this.pacer = new LinePacer(settings.linesPerSecond(), settings.burst(), clock);
        this.link = new IrcLink(settings, log, clock, this::answer);
        this.replies = new BotReplies(clock);
        this.clock = clock;
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
    public void start() {
        link.start();
        replyThread = new Thread(this::sayReplies, "relay-irc-replies");
        replyThread.setDaemon(true);
        replyThread.start();
    }

    @Override
    public Optional<String> problem() {
        return link.problem();
    }

    /** Bytes a message may take after {@code PRIVMSG #channel :}, leaving room for the relayed source prefix. */
    int maxMessageBytes() {
        return IrcText.MAX_LINE_BYTES - IrcText.utf8Length("PRIVMSG " + settings.target().channel() + " :")
                - SOURCE_PREFIX_RESERVE - settings.nick().length();
    }

    @Override
    public void deliver(List<String> batch, IntConsumer delivered) throws IOException, InterruptedException {
        IrcSession session = link.awaitJoined();
        // More messages than the pace allows now: pack several per line rather than fall ever further behind.
        boolean coalesce = batch.size() > pacer.available();
        List<IrcText.Line> lines = IrcText.layout(batch, maxMessageBytes(), coalesce,
                settings.maxLinesPerAlert());
        String prefix = "PRIVMSG " + settings.target().channel() + " :";
        for (List<IrcText.Line> window : IrcText.windows(lines, WINDOW_LINES, WINDOW_BYTES)) {
            link.startWindow();
            for (IrcText.Line line : window) {
                pacer.acquire();
                session.send(prefix + line.text());
            }
            link.confirm(session);
            delivered.accept(window.get(window.size() - 1).messagesDone());
        }
    }

    /** Answers on its own thread: the bot may ask Grafana, and the connection must keep reading meanwhile. */
    private void answer(String fromNick, String command) {
        String who = TerminalText.oneLine(fromNick);
        if (!replies.allow(fromNick)) {
            log.debug("irc: ignored a command from " + who + " (" + BotReplies.BURST_PER_USER
                    + " answers, then one per " + BotReplies.PER_USER.toSeconds() + " s, per user)");
            return;
        }
        botExecutor.execute(() -> {
            if (!replies.offer(bot.answer(command))) {
                log.info("irc: too many answers waiting, dropped the bot's answer to " + who);
            }
        });
    }

    /**
     * Says the bot's answers, best effort, with pacing tokens above half the burst only: an alert always finds its
     * tokens, so answers never delay it.
     */
    private void sayReplies() {
        int reserve = Math.max(1, settings.burst() / 2);
        Duration oneLine = Duration.ofNanos((long) (1e9 / settings.linesPerSecond()));
        String prefix = "PRIVMSG " + settings.target().channel() + " :";
        try {
            while (!Thread.currentThread().isInterrupted()) {
                String reply = replies.take();
                try {
                    for (String piece : IrcText.cap(reply, IrcText.split(IrcText.sanitize(reply).strip(),
                            maxMessageBytes()), settings.maxLinesPerAlert(), maxMessageBytes())) {
                        IrcSession session = link.awaitJoined();
                        while (!pacer.tryAcquireAbove(reserve)) {
                            clock.sleep(oneLine);
                        }
                        session.send(prefix + piece);
                    }
                } catch (IOException e) {
                    log.debug("irc: an answer of the bot was not said: "
                            + TerminalText.oneLine(String.valueOf(e.getMessage())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        link.close();
        botExecutor.shutdownNow();
        if (replyThread != null) {
            replyThread.interrupt();
        }
    }
}
