package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.prowctl.testing.IrcTestClient;
import dev.prowctl.testing.NgircdServer;

/**
 * The server refuses what the relay says (an IRC operator sets {@code +m} or bans the relay on a real ngIRCd): the
 * lines are not counted as delivered, /healthz says why, and they are said once the channel lets the relay speak.
 * The relay's retries wait on a manual clock, so each retry happens exactly when the test lets it.
 */
class RelayIrcRefusalTest {
    private static final String ALERT = "[FIRING:1] Muted - s http://am.example:9093";
    private static final String SENTINEL = "[FIRING:1] Sentinel - s http://am.example:9093";
    private final FakeClock retries = FakeClock.manual();
    private NgircdServer ircd;
    private IrcTestClient operator;
    private RelayHarness harness;

    @BeforeEach
    void start() throws Exception {
        ircd = NgircdServer.start();
        operator = new IrcTestClient(ircd.port(), "opnick", "#alerts");
        operator.command("OPER " + NgircdServer.OPERATOR + " " + NgircdServer.OPERATOR_PASSWORD);
        operator.awaitLine(" 381 ", 5);
        IrcOutput.Settings settings = new IrcOutput.Settings(
                IrcTarget.parse("irc://127.0.0.1:" + ircd.port() + "/#alerts"), "prowbot", null, 3, 8, null);
        harness = new RelayHarness(log -> List.of(new IrcOutput(settings, new IrcBot(null), log,
                FakeClock.advancingOnSleep())), WebhookAuth.none(), 100, retries);
        harness.awaitLog(log -> log.contains("joined #alerts"), 10);
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (ircd != null) {
            ircd.close();
        }
    }

    @Test
    void aModeratedChannelIsNotDeliveryAndTheAlertIsSaidOnceItIsLifted() throws Exception {
        setMode("+m");
        assertRefusedThenDeliveredAfter("-m", "Cannot send to channel");
    }

    @Test
    void aBanIsNotDeliveryAndTheAlertIsSaidOnceItIsLifted() throws Exception {
        setMode("+b prowbot!*@*");
        assertRefusedThenDeliveredAfter("-b prowbot!*@*", "Cannot send to channel");
    }

    private void setMode(String mode) throws Exception {
        operator.command("MODE #alerts " + mode);
        operator.awaitLine("MODE #alerts " + mode, 5);
    }

    private void assertRefusedThenDeliveredAfter(String lift, String reason) throws Exception {
        assertThat(harness.post("/hook", Bodies.alertmanager("Muted", "s")).statusCode()).isEqualTo(200);
        harness.awaitLog(log -> log.contains("not delivered: cannot send to #alerts"), 10);
        assertThat(harness.log()).contains(reason).contains("(404)");
        HttpResponse<String> health = harness.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"degraded\"").contains("cannot send to #alerts")
                .contains("\"queued\":1");
        assertThat(harness.relay.queued().values()).containsExactly(1);

        setMode(lift);
        retries.advanceWhenAsleep(Duration.ofSeconds(1));
        // Said once: the sentinel posted after it is the second and last line.
        assertThat(operator.awaitCount(1, 10)).containsExactly(ALERT);
        assertThat(harness.post("/hook", Bodies.alertmanager("Sentinel", "s")).statusCode()).isEqualTo(200);
        assertThat(operator.awaitCount(2, 10)).containsExactly(ALERT, SENTINEL);
        assertThat(harness.get("/healthz").statusCode()).isEqualTo(200);
    }

    /**
     * Six users spam the bot on a relay whose pacing clock never moves: the bot may only use the tokens above half
     * the burst, so the alert still finds its token at once (were it paced behind the answers, it would wait
     * forever on this clock).
     */
    @Test
    void usersSpammingTheBotDoNotDelayAnAlert() throws Exception {
        harness.close();
        FakeClock frozen = FakeClock.manual();
        IrcOutput.Settings settings = new IrcOutput.Settings(
                IrcTarget.parse("irc://127.0.0.1:" + ircd.port() + "/#alerts"), "spambot", null, 3, 8, null);
        harness = new RelayHarness(log -> List.of(new IrcOutput(settings, new IrcBot(null), log, frozen)),
                WebhookAuth.none(), 100, retries);
        harness.awaitLog(log -> log.contains("as spambot"), 10);
        List<IrcTestClient> users = new java.util.ArrayList<>();
        try {
            for (int u = 0; u < 6; u++) {
                users.add(new IrcTestClient(ircd.port(), "user" + u, "#alerts"));
            }
            for (int round = 0; round < 10; round++) {
                for (IrcTestClient user : users) {
                    user.say("spambot: alerts");
                }
            }
            // The channel has seen all 60 commands (the relay reads them as the operator does).
            operator.await(lines -> lines.stream().filter(line -> line.equals("spambot: alerts")).count() == 60, 10);
            assertThat(harness.post("/hook", Bodies.alertmanager("Urgent", "s")).statusCode()).isEqualTo(200);
            String urgent = "[FIRING:1] Urgent - s http://am.example:9093";
            List<String> said = operator.await(lines -> lines.contains(urgent), 10);
            harness.awaitLog(log -> log.contains("ignored a command from user5"), 10);
            assertThat(said.stream().mapToInt(line -> line.split(java.util.regex.Pattern.quote(IrcBot.NO_GRAFANA),
                    -1).length - 1).sum())
                    .as("answers said without new tokens: %s", said).isLessThanOrEqualTo(4);
        } finally {
            for (IrcTestClient user : users) {
                user.close();
            }
        }
    }
}
