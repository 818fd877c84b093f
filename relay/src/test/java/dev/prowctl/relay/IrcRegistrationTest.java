package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registration paths ngIRCd cannot show (it has no SASL and no NickServ): a small scripted server on loopback
 * plays a network that grants SASL, one that refuses it, and a nick already in use.
 */
class IrcRegistrationTest {
    private ScriptedServer server;
    private RelayHarness harness;

    @AfterEach
    void stop() throws IOException {
        if (harness != null) {
            harness.close();
        }
        server.close();
    }

    private void relay(String url) throws Exception {
        IrcOutput.Settings settings = new IrcOutput.Settings(IrcTarget.parse(url), "prowbot", "hunter2", 3, 8, null);
        harness = new RelayHarness(log -> List.of(new IrcOutput(settings, new IrcBot(null), log)),
                WebhookAuth.none(), 100);
    }

    @Test
    void saslPlainThenJoinWithTheChannelKey() throws Exception {
        server = new ScriptedServer(true, false, false);
        relay("irc://127.0.0.1:" + server.port() + "/%23alerts?key=k3y");
        harness.post("/hook", Bodies.alertmanager("Sasl", "s"));
        List<String> received = server.await(lines -> lines.stream().anyMatch(l -> l.startsWith("PRIVMSG #alerts")));
        String plain = new String(Base64.getDecoder().decode(received.stream()
                .filter(l -> l.startsWith("AUTHENTICATE ") && !l.equals("AUTHENTICATE PLAIN")).findFirst()
                .orElseThrow().substring(13)), StandardCharsets.UTF_8);
        assertThat(plain).isEqualTo("prowbot\0prowbot\0hunter2");
        assertThat(received).containsSubsequence("CAP REQ :sasl", "NICK prowbot", "AUTHENTICATE PLAIN", "CAP END",
                "JOIN #alerts k3y", "PRIVMSG #alerts :[FIRING:1] Sasl - s http://am.example:9093");
        assertThat(received).noneMatch(l -> l.contains("NickServ"));
        assertThat(harness.log()).doesNotContain("hunter2").doesNotContain("k3y");
    }

    @Test
    void withoutSaslFallsBackToNickServAndTakesAnotherNickWhenInUse() throws Exception {
        server = new ScriptedServer(false, true, false);
        relay("irc://127.0.0.1:" + server.port() + "/#alerts");
        harness.post("/hook", Bodies.alertmanager("NickServ", "s"));
        List<String> received = server.await(lines -> lines.stream().anyMatch(l -> l.startsWith("PRIVMSG #alerts")));
        assertThat(received).contains("CAP END");
        assertThat(received).containsSubsequence("CAP REQ :sasl", "NICK prowbot", "NICK prowbot_",
                "PRIVMSG NickServ :IDENTIFY hunter2", "JOIN #alerts",
                "PRIVMSG #alerts :[FIRING:1] NickServ - s http://am.example:9093");
        assertThat(received).noneMatch(l -> l.startsWith("AUTHENTICATE"));
    }

    @Test
    void aLineRefusedAsNotOnTheChannelIsSentAgainAfterJoiningAgain() throws Exception {
        server = new ScriptedServer(false, false, true);
        relay("irc://127.0.0.1:" + server.port() + "/#alerts");
        harness.post("/hook", Bodies.alertmanager("Rejoin", "s"));
        String said = "PRIVMSG #alerts :[FIRING:1] Rejoin - s http://am.example:9093";
        List<String> received = server.await(lines -> lines.stream().filter(said::equals).count() == 2);
        assertThat(received).containsSubsequence("JOIN #alerts", said, "JOIN #alerts", said);
        assertThat(harness.log()).contains("not delivered: cannot send to #alerts: You're not on that channel (442)");
    }

    /** Plays one client's registration; records every line the client sent. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        private final List<String> lines = new ArrayList<>();
        private final Thread thread;

        /** @param notOnChannelOnce answers the first PRIVMSG to the channel with 442 ERR_NOTONCHANNEL */
        ScriptedServer(boolean sasl, boolean nickInUse, boolean notOnChannelOnce) throws IOException {
            thread = new Thread(() -> serve(sasl, nickInUse, notOnChannelOnce), "scripted-ircd");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(boolean sasl, boolean nickInUse, boolean notOnChannelOnce) {
            boolean refuse = notOnChannelOnce;
            try (Socket client = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8));
                OutputStream out = client.getOutputStream();
                String nick = null;
                boolean user = false;
                boolean capEnded = false;
                boolean welcomed = false;
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                    IrcMessage message = IrcMessage.parse(line);
                    switch (message.command()) {
                        case "NICK" -> {
                            if (nickInUse && nick == null) {
                                nick = "";
                                send(out, ":srv 433 * " + message.param(0) + " :Nickname is already in use");
                            } else {
                                nick = message.param(0);
                            }
                        }
                        case "USER" -> {
                            user = true;
                            send(out, ":srv CAP * " + (sasl ? "ACK" : "NAK") + " :sasl");
                        }
                        case "AUTHENTICATE" -> send(out, message.param(0).equals("PLAIN") ? "AUTHENTICATE +"
                                : ":srv 903 " + nick + " :SASL authentication successful");
                        case "CAP" -> capEnded = message.param(0).equals("END");
                        case "JOIN" -> send(out, ":" + nick + "!u@localhost JOIN " + message.param(0));
                        case "PING" -> send(out, ":srv PONG srv :" + message.trailing());
                        case "PRIVMSG" -> {
                            if (refuse && message.param(0).equals("#alerts")) {
                                refuse = false;
                                send(out, ":srv 442 " + nick + " #alerts :You're not on that channel");
                            }
                        }
                        default -> {
                        }
                    }
                    if (!welcomed && capEnded && user && nick != null && !nick.isEmpty()) {
                        welcomed = true;
                        send(out, ":srv 001 " + nick + " :Welcome");
                    }
                }
            } catch (IOException e) {
                // Closed by the test.
            }
        }

        private static void send(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        List<String> await(java.util.function.Predicate<List<String>> done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (lines) {
                while (!done.test(lines)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new AssertionError("timed out; client sent " + lines);
                    }
                    lines.wait(left);
                }
                return new ArrayList<>(lines);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
