package dev.prowctl.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plain IRC client for the tests: joins a channel and records every PRIVMSG said there (text only), so tests can
 * assert the exact lines. {@link #reconnect()} joins again after the server was restarted.
 */
public final class IrcTestClient implements AutoCloseable {
    private final int port;
    private final String nick;
    private final String channel;
    private final List<String> messages = new ArrayList<>();
    private final List<String> rawLines = new ArrayList<>();
    /** Every line from the server, of any command. */
    private final List<String> allLines = new ArrayList<>();
    private Socket socket;
    private OutputStream out;

    public IrcTestClient(int port, String nick, String channel) throws IOException, InterruptedException {
        this.port = port;
        this.nick = nick;
        this.channel = channel;
        reconnect();
    }

    /** Connects, registers and joins; returns once the JOIN is confirmed. */
    public void reconnect() throws IOException, InterruptedException {
        if (socket != null) {
            socket.close();
        }
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        out = socket.getOutputStream();
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8));
        send("NICK " + nick);
        send("USER " + nick + " 0 * :test client");
        Object joined = new Object();
        boolean[] done = {false};
        Thread thread = new Thread(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    Line message = Line.parse(line);
                    synchronized (messages) {
                        allLines.add(line);
                        messages.notifyAll();
                    }
                    switch (message.command()) {
                        case "PING" -> send("PONG :" + message.trailing());
                        case "001" -> send("JOIN " + channel);
                        case "JOIN" -> {
                            synchronized (joined) {
                                done[0] = true;
                                joined.notifyAll();
                            }
                        }
                        case "PRIVMSG" -> {
                            synchronized (messages) {
                                rawLines.add(line);
                                messages.add(message.trailing());
                                messages.notifyAll();
                            }
                        }
                        default -> {
                        }
                    }
                }
            } catch (IOException e) {
                // Connection closed: the test decides whether that matters.
            }
        }, "irc-test-client");
        thread.setDaemon(true);
        thread.start();
        synchronized (joined) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!done[0] && System.nanoTime() < deadline) {
                joined.wait(100);
            }
            if (!done[0]) {
                throw new IOException("test client could not join " + channel);
            }
        }
    }

    /**
     * A server line's command and last parameter: {@code [@tags] [:prefix] COMMAND params [:trailing]}. The test's
     * own reading, independent of the relay's parser under test.
     */
    private record Line(String command, String trailing) {
        static Line parse(String line) {
            String rest = line;
            if (rest.startsWith("@")) {
                rest = rest.indexOf(' ') < 0 ? "" : rest.substring(rest.indexOf(' ') + 1);
            }
            if (rest.startsWith(":")) {
                rest = rest.indexOf(' ') < 0 ? "" : rest.substring(rest.indexOf(' ') + 1);
            }
            String trailing = "";
            int colon = rest.indexOf(" :");
            if (colon >= 0) {
                trailing = rest.substring(colon + 2);
                rest = rest.substring(0, colon);
            }
            String[] words = rest.strip().split(" +");
            if (colon < 0 && words.length > 1) {
                trailing = words[words.length - 1];
            }
            return new Line(words[0].toUpperCase(java.util.Locale.ROOT), trailing);
        }
    }

    /** Says something in the channel (to talk to the relay's bot). */
    public void say(String text) throws IOException {
        send("PRIVMSG " + channel + " :" + text);
    }

    /** Sends a raw command (OPER, MODE, KICK...). */
    public void command(String line) throws IOException {
        send(line);
    }

    /** Waits until the server sent a line that contains {@code text} (of any command); returns it. */
    public String awaitLine(String text, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (messages) {
            while (true) {
                for (String line : allLines) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no line with '" + text + "' within " + timeoutSeconds + " s: "
                            + allLines);
                }
                messages.wait(left);
            }
        }
    }

    private synchronized void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The texts said in the channel so far. */
    public List<String> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /** The raw PRIVMSG lines as the server relayed them (with their prefix). */
    public List<String> rawLines() {
        synchronized (messages) {
            return new ArrayList<>(rawLines);
        }
    }

    /** Waits until {@code done} holds for the messages said so far; returns them. Throws after the timeout. */
    public List<String> await(Predicate<List<String>> done, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (messages) {
            while (!done.test(messages)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeoutSeconds + " s; got " + messages);
                }
                messages.wait(left);
            }
            return new ArrayList<>(messages);
        }
    }

    /** Waits for {@code count} messages in all. */
    public List<String> awaitCount(int count, long timeoutSeconds) throws InterruptedException {
        return await(list -> list.size() >= count, timeoutSeconds);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
