package dev.prowctl.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.prowctl.http.TerminalText;

/**
 * What the relay says and answers on one connection: registration (SASL PLAIN, or NickServ when the server has no
 * SASL), another nick when the one asked for is taken, joining the channel (again after a KICK), PING. It reports
 * what the rest of the relay needs to know (joined, kicked, PONGs, commands for the bot) to its {@link Listener},
 * so that the protocol can be read here in one piece and the waiting and reconnecting are elsewhere
 * ({@link IrcLink}).
 */
final class IrcSession {

    /** Events of one session, called on the thread that reads the connection. */
    interface Listener {
        void joined(IrcSession session);

        void kicked(IrcSession session);

        void pong(String token);

        /**
         * The server refused a line for the channel (404 ERR_CANNOTSENDTOCHAN, 442 ERR_NOTONCHANNEL, ...): it was
         * not said, whatever the PONG after it says.
         */
        void refused(IrcSession session, String reason);

        /** Someone in the channel said {@code command} to the relay's nick. */
        void addressed(String fromNick, String command);
    }

    private final IrcConnection connection;
    private final IrcTarget target;
    private final String password;
    private final Listener listener;
    private volatile String nick;
    /** Between our JOIN and a KICK (or a 442): refusals then mean "not said", not "cannot join". */
    private boolean inChannel;

    IrcSession(IrcConnection connection, IrcTarget target, String nick, String password, Listener listener) {
        this.connection = connection;
        this.target = target;
        this.nick = nick;
        this.password = password;
        this.listener = listener;
    }

    /** The nick the server knows us by (it may differ from the one asked for). */
    String nick() {
        return nick;
    }

    void send(String line) throws IOException {
        connection.send(line);
    }

    /**
     * Registers, joins and handles what the server says until the connection ends. Returns whether it joined at
     * some point; throws when the server refuses the channel or sends ERROR.
     */
    boolean serve() throws IOException {
        boolean sasl = password != null;
        if (sasl) {
            send("CAP REQ :sasl");
        }
        send("NICK " + nick);
        send("USER " + userName(nick) + " 0 * :prowctl alert relay");
        boolean registered = false;
        boolean identified = false;
        boolean everJoined = false;
        String line;
        while ((line = connection.readLine()) != null) {
            IrcMessage message = IrcMessage.parse(line);
            switch (message.command()) {
                case "PING" -> send("PONG :" + message.trailing());
                case "PONG" -> listener.pong(message.trailing());
                case "CAP" -> {
                    String sub = message.param(1);
                    if ("ACK".equals(sub) && message.trailing().contains("sasl")) {
                        send("AUTHENTICATE PLAIN");
                    } else if ("NAK".equals(sub)) {
                        send("CAP END");
                    }
                }
                case "AUTHENTICATE" -> {
                    if (message.param(0).equals("+") && password != null) {
                        String plain = nick + "\0" + nick + "\0" + password;
                        send("AUTHENTICATE " + Base64.getEncoder().encodeToString(
                                plain.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                case "903" -> {
                    identified = true;
                    send("CAP END");
                }
                case "902", "904", "905", "906", "907", "908" -> send("CAP END");
                case "433", "432" -> {
                    if (!registered) {
                        nick = nick.length() < 15 ? nick + "_" : nick.substring(0, 14) + "_";
                        send("NICK " + nick);
                    }
                }
                case "001" -> {
                    registered = true;
                    nick = message.param(0).isEmpty() ? nick : message.param(0);
                    if (password != null && !identified) {
                        send("PRIVMSG NickServ :IDENTIFY " + password);
                    }
                    join();
                }
                case "JOIN" -> {
                    if (message.nick().equalsIgnoreCase(nick) && channelMatches(message)) {
                        everJoined = true;
                        inChannel = true;
                        listener.joined(this);
                    }
                }
                case "KICK" -> {
                    if (message.param(1).equalsIgnoreCase(nick)) {
                        inChannel = false;
                        listener.kicked(this);
                        join();
                    }
                }
                case "401", "403", "404", "442", "471", "473", "474", "475", "405" -> refusal(message);
                case "ERROR" -> throw new IOException("server closed the connection: "
                        + TerminalText.oneLine(message.trailing()));
                case "PRIVMSG" -> onPrivmsg(message);
                default -> {
                    // Other numerics and notices need no answer.
                }
            }
        }
        return everJoined;
    }

    /**
     * A numeric about our channel: before we are in it, the JOIN failed (the connection is given up and retried with
     * backoff); once in it, a line we sent there was not said. Not on the channel (442, 403) means join again.
     */
    private void refusal(IrcMessage message) throws IOException {
        if (!target.channel().equalsIgnoreCase(message.param(1))) {
            return;
        }
        String reason = TerminalText.oneLine(message.trailing()) + " (" + message.command() + ")";
        if (!inChannel && !message.command().equals("404")) {
            throw new IOException("cannot join " + target.channel() + ": " + reason);
        }
        listener.refused(this, "cannot send to " + target.channel() + ": " + reason);
        if (message.command().equals("442") || message.command().equals("403")) {
            inChannel = false;
            join();
        }
    }

    /** A JOIN names the channel as a parameter or, on some servers, as the trailing text. */
    private boolean channelMatches(IrcMessage join) {
        return target.channel().equalsIgnoreCase(join.param(0)) || target.channel().equalsIgnoreCase(join.trailing());
    }

    private void join() throws IOException {
        String key = target.key();
        send("JOIN " + target.channel() + (key == null || key.isEmpty() ? "" : " " + key));
    }

    private void onPrivmsg(IrcMessage message) {
        if (!target.channel().equalsIgnoreCase(message.param(0))) {
            return;
        }
        String command = IrcBot.addressedTo(nick, message.trailing());
        if (command != null) {
            listener.addressed(message.nick(), command);
        }
    }

    /** IRC user names are short and plain. */
    private static String userName(String nick) {
        String user = nick.replaceAll("[^A-Za-z0-9]", "");
        user = user.isEmpty() ? "prowctl" : user;
        return user.length() > 10 ? user.substring(0, 10) : user;
    }
}
