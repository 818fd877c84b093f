package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.prowctl.testing.AlertmanagerServer;
import dev.prowctl.testing.IrcTestClient;
import dev.prowctl.testing.NgircdServer;

/**
 * End to end with real servers: webhooks (posted by a real Alertmanager, or directly) → relay → a real ngIRCd → a
 * test client in the channel that checks the exact lines.
 */
class RelayIrcEndToEndTest {
    private static final int LINES_PER_SECOND = 3;
    private static final int BURST = 8;
    private NgircdServer ircd;
    private IrcTestClient watcher;
    private RelayHarness harness;

    @BeforeEach
    void startIrc() throws Exception {
        ircd = NgircdServer.start();
        watcher = new IrcTestClient(ircd.port(), "watcher", "#alerts");
    }

    /** Null-safe: a missing ngIRCd skips the test in {@link #startIrc()} before anything was started. */
    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (ircd != null) {
            ircd.close();
        }
    }

    /** A relay to #alerts, pacing 3 lines a second after a burst of 8 on a virtual clock (no real-time waits). */
    private RelayHarness relayToIrc(WebhookAuth auth, FiringAlertsSource grafana) throws Exception {
        return relayToIrc(auth, grafana, FakeClock.advancingOnSleep(), BURST);
    }

    private RelayHarness relayToIrc(WebhookAuth auth, FiringAlertsSource grafana, RelayClock clock, int burst)
            throws Exception {
        IrcOutput.Settings settings = new IrcOutput.Settings(
                IrcTarget.parse("irc://127.0.0.1:" + ircd.port() + "/#alerts"), "prowbot", null, LINES_PER_SECOND,
                burst, null);
        harness = new RelayHarness(log -> List.of(new IrcOutput(settings, new IrcBot(grafana), log, clock)), auth,
                10_000);
        harness.awaitLog(log -> log.contains("joined #alerts"), 10);
        return harness;
    }

    /** Starts now: Alertmanager flushes a new group at once (without group_wait) for an alert older than that. */
    private static String alertJson(String name, String summary, Instant endsAt) {
        return alertJson(name, summary, Instant.now(), endsAt);
    }

    private static String alertJson(String name, String summary, Instant startsAt, Instant endsAt) {
        return """
                {"labels":{"alertname":"%s","severity":"page"},"annotations":{"summary":"%s"},
                 "startsAt":"%s","endsAt":"%s","generatorURL":"http://prometheus.example/graph?g0.expr=up"}
                """.formatted(name, summary, startsAt, endsAt);
    }

    @Test
    void alertmanagerWithBasicAuthReachesTheChannelAndResolves() throws Exception {
        relayToIrc(new WebhookAuth(null, "am:s3cret", null, null, Duration.ofMinutes(5),
                java.time.Clock.systemUTC()), null);
        try (AlertmanagerServer am = AlertmanagerServer.start(harness.url("/hook"), """
                          basic_auth:
                            username: am
                            password: s3cret
                """)) {
            Instant started = Instant.now();
            am.postAlerts("[" + alertJson("DiskFull", "disk / is 97% full", started, started.plusSeconds(3600))
                    + "]");
            List<String> said = watcher.awaitCount(1, 15);
            assertThat(said).containsExactly(
                    "[FIRING:1] DiskFull - disk / is 97% full http://prometheus.example/graph?g0.expr=up");

            am.postAlerts("[" + alertJson("DiskFull", "disk / is 97% full", started, Instant.now()) + "]");
            said = watcher.awaitCount(2, 15);
            assertThat(said.get(1))
                    .isEqualTo("[RESOLVED:1] DiskFull - disk / is 97% full http://prometheus.example/graph?g0.expr=up");
        }
        assertThat(harness.log()).doesNotContain("s3cret");
    }

    @Test
    void alertmanagerWithBearerTokenGroupsAlertsIntoOneLine() throws Exception {
        relayToIrc(new WebhookAuth("tok-123", null, null, null, Duration.ofMinutes(5), java.time.Clock.systemUTC()),
                null);
        try (AlertmanagerServer am = AlertmanagerServer.start(harness.url("/"), """
                          authorization:
                            type: Bearer
                            credentials: tok-123
                """)) {
            Instant later = Instant.now().plusSeconds(3600);
            am.postAlerts("[" + alertJson("NodeDown", "node is down", later).replace("\"severity\":\"page\"",
                    "\"instance\":\"a\"") + "," + alertJson("NodeDown", "node is down", later)
                            .replace("\"severity\":\"page\"", "\"instance\":\"b\"") + "]");
            List<String> said = watcher.awaitCount(1, 15);
            assertThat(said).containsExactly(
                    "[FIRING:2] NodeDown - node is down http://prometheus.example/graph?g0.expr=up");
        }
    }

    @Test
    void wrongCredentialsFromAlertmanagerAreRefusedAndNothingIsSaid() throws Exception {
        relayToIrc(new WebhookAuth("right", null, null, null, Duration.ofMinutes(5), java.time.Clock.systemUTC()),
                null);
        try (AlertmanagerServer am = AlertmanagerServer.start(harness.url("/hook"), """
                          authorization:
                            type: Bearer
                            credentials: wrong
                """)) {
            am.postAlerts("[" + alertJson("Intruder", "x", Instant.now().plusSeconds(3600)) + "]");
            harness.awaitLog(log -> log.contains("refused a webhook"), 15);
            // A sentinel with the right token, posted after the refusal, is the first line said.
            assertThat(harness.post("/hook", Bodies.alertmanager("Sentinel", "s"), "Authorization", "Bearer right")
                    .statusCode()).isEqualTo(200);
            assertThat(watcher.awaitCount(1, 15)).containsExactly("[FIRING:1] Sentinel - s http://am.example:9093");
        }
    }

    @Test
    void crlfInAnAlertCannotInjectACommandAndLongUtf8MessagesAreSplitByBytes() throws Exception {
        relayToIrc(WebhookAuth.none(), null);
        String injected = "first\r\nQUIT :pwned\r\nPRIVMSG #alerts :fake\0end";
        assertThat(harness.post("/hook", Bodies.alertmanager("Inject", injected)).statusCode()).isEqualTo(200);
        // 600 bytes of UTF-8: 2-, 3- and 4-byte characters.
        String summary = "é€😀".repeat(600 / 9) + "abcdef";
        assertThat(summary.getBytes(StandardCharsets.UTF_8)).hasSize(600);
        assertThat(harness.post("/hook", Bodies.alertmanager("Long", summary)).statusCode()).isEqualTo(200);

        List<String> said = watcher.await(list -> String.join("", list).endsWith("abcdef http://am.example:9093"), 15);
        assertThat(said.get(0)).isEqualTo("[FIRING:1] Inject - first QUIT :pwned PRIVMSG #alerts :fake end"
                + " http://am.example:9093");
        String expected = "[FIRING:1] Long - " + summary + " http://am.example:9093";
        List<String> pieces = said.subList(1, said.size());
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo(expected);
        for (String raw : watcher.rawLines()) {
            // What the server relayed, prefix included, fits in 510 bytes.
            assertThat(raw.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(510);
        }
        // The relay is still there: a QUIT would have ended its connection.
        assertThat(harness.log()).doesNotContain("reconnecting");
        assertThat(harness.relay.health().values()).allMatch(problem -> problem.isEmpty());
    }

    @Test
    void ircServerKilledAndRestartedMidStreamLosesNothing() throws Exception {
        // The relay's reconnects wait on a manual clock, so it cannot rejoin before the watcher is back in the
        // channel (the watcher would miss the queued lines): no race with the backoff, and no real-time wait for it.
        // The burst covers all 15 lines: pacing would wait on that clock too, and is not this test's subject.
        FakeClock clock = FakeClock.manual();
        relayToIrc(WebhookAuth.none(), null, clock, 20);
        for (int i = 1; i <= 5; i++) {
            assertThat(harness.post("/hook", Bodies.alertmanager("Before" + i, "s")).statusCode()).isEqualTo(200);
        }
        watcher.awaitCount(5, 15);
        // Kill once the server confirmed them (PONG): a line in flight when the connection dies is sent again
        // after the reconnect (at least once), which would show here as a repeat.
        awaitQueuesEmpty();
        ircd.kill();
        // Posted while the IRC server is gone: queued, answered 200.
        for (int i = 1; i <= 5; i++) {
            assertThat(harness.post("/hook", Bodies.alertmanager("During" + i, "s")).statusCode()).isEqualTo(200);
        }
        harness.awaitLog(log -> log.contains("reconnecting in 1000 ms"), 15);
        // A second attempt while the server is still down: refused, and the backoff doubles.
        clock.advanceWhenAsleep(Duration.ofSeconds(1));
        harness.awaitLog(log -> log.contains("reconnecting in 2000 ms"), 15);
        assertThat(harness.get("/healthz").statusCode()).isEqualTo(503);
        ircd.restart();
        watcher.reconnect();
        clock.advanceWhenAsleep(Duration.ofSeconds(2));
        for (int i = 1; i <= 5; i++) {
            assertThat(harness.post("/hook", Bodies.alertmanager("After" + i, "s")).statusCode()).isEqualTo(200);
        }
        List<String> expected = new ArrayList<>();
        for (String phase : List.of("Before", "During", "After")) {
            for (int i = 1; i <= 5; i++) {
                expected.add("[FIRING:1] " + phase + i + " - s http://am.example:9093");
            }
        }
        List<String> said = watcher.await(list -> splitCoalesced(list).containsAll(expected), 30);
        assertThat(splitCoalesced(said)).containsExactlyElementsOf(expected);
        assertThat(harness.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aBurstOf2000AlertsArrivesCompleteInOrderWithoutAFloodDisconnect() throws Exception {
        // Time stands still until every alert is posted: after its burst the relay waits for its pace while the
        // backlog builds up, as it does in real time when alerts come faster than the pace (here, deterministically).
        FakeClock clock = FakeClock.manual();
        relayToIrc(WebhookAuth.none(), null, clock, BURST);
        int total = 2000;
        ExecutorService posters = Executors.newFixedThreadPool(8);
        try {
            // 8 concurrent senders; each keeps its own order, so we check per sender.
            List<Future<?>> done = new ArrayList<>();
            for (int sender = 0; sender < 8; sender++) {
                int s = sender;
                done.add(posters.submit(() -> {
                    for (int i = s; i < total; i += 8) {
                        HttpResponse<String> response = harness.post("/hook", Bodies.alertmanager(
                                "B" + i, "x").replace("http://am.example:9093", ""));
                        assertThat(response.statusCode()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            posters.shutdown();
        }
        clock.startAdvancingOnSleep();
        List<String> said = watcher.await(list -> splitCoalesced(list).size() >= total, 30);
        List<String> alerts = splitCoalesced(said);
        assertThat(alerts).hasSize(total).doesNotHaveDuplicates();
        for (int sender = 0; sender < 8; sender++) {
            int s = sender;
            List<String> ofSender = alerts.stream().filter(a -> Integer.parseInt(a.replaceAll("\\D", "")
                    .substring(1)) % 8 == s).collect(Collectors.toList());
            List<String> expected = IntStream.iterate(s, i -> i < total, i -> i + 8)
                    .mapToObj(i -> "[FIRING:1] B" + i + " - x").collect(Collectors.toList());
            assertThat(ofSender).containsExactlyElementsOf(expected);
        }
        // Coalesced: far fewer lines than alerts, and the relay was never disconnected for flooding.
        assertThat(said.size()).isLessThan(total / 5);
        // Paced: after the burst, each line waited its 1/3 s of (virtual) time, and not longer.
        assertThat(clock.elapsed()).isBetween(Duration.ofMillis((said.size() - BURST) * 1000L / LINES_PER_SECOND),
                Duration.ofMillis(said.size() * 1000L / LINES_PER_SECOND));
        assertThat(harness.log()).doesNotContain("reconnecting");
        assertThat(ircd.log().toLowerCase(Locale.ROOT)).doesNotContain("flood").doesNotContain("excess");
    }

    @Test
    void theBotAnswersAlertsAndSaysWhatItDidNotUnderstand() throws Exception {
        FiringAlertsSource grafana = words -> List.of("DiskFull (host=db1) firing since 01:02",
                "NodeDown (host=web2) firing since 01:05").stream()
                .filter(line -> words.stream().allMatch(w -> line.toLowerCase(Locale.ROOT)
                        .contains(w.toLowerCase(Locale.ROOT))))
                .collect(Collectors.toList());
        relayToIrc(WebhookAuth.none(), grafana);
        // The server does not echo the watcher's own lines: only the bot's answers are recorded.
        watcher.say("prowbot: alerts");
        watcher.awaitCount(2, 10);
        watcher.say("prowbot: alerts web2");
        watcher.awaitCount(3, 10);
        watcher.say("prowbot, alerts nothing-matches");
        watcher.awaitCount(4, 10);
        watcher.say("someone else: alerts");
        watcher.say("prowbot: reboot everything");
        List<String> said = watcher.awaitCount(5, 10);
        assertThat(said).containsExactly(
                "DiskFull (host=db1) firing since 01:02",
                "NodeDown (host=web2) firing since 01:05",
                "NodeDown (host=web2) firing since 01:05",
                "No alerts",
                "Not understood: reboot everything");
    }

    @Test
    void aServerWithFloodPenaltiesSlowsTheRelayDownButLosesNothing() throws Exception {
        watcher.close();
        ircd.close();
        ircd = NgircdServer.startWithFloodPenalties();
        watcher = new IrcTestClient(ircd.port(), "watcher", "#alerts");
        // No pacing of its own (the burst covers every line): the relay runs into the server's penalties, and waits
        // for each window of lines to be confirmed. Posted while it registers, so that the lines go out together.
        IrcOutput.Settings settings = new IrcOutput.Settings(
                IrcTarget.parse("irc://127.0.0.1:" + ircd.port() + "/#alerts"), "prowbot", null, LINES_PER_SECOND,
                100, null);
        harness = new RelayHarness(log -> List.of(new IrcOutput(settings, new IrcBot(null), log,
                FakeClock.advancingOnSleep())), WebhookAuth.none(), 100);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            assertThat(harness.post("/hook", Bodies.alertmanager("Penalty" + i, "s")).statusCode()).isEqualTo(200);
            expected.add("[FIRING:1] Penalty" + i + " - s http://am.example:9093");
        }
        assertThat(watcher.awaitCount(12, 30)).containsExactlyElementsOf(expected);
        assertThat(harness.log()).doesNotContain("reconnecting");
        assertThat(ircd.log().toLowerCase(Locale.ROOT)).doesNotContain("flood").doesNotContain("excess");
    }

    private void awaitQueuesEmpty() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (harness.relay.queued().values().stream().anyMatch(n -> n > 0)) {
            assertThat(System.nanoTime()).as("queues empty within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void ircsConnectsWithTlsAndRefusesAnUntrustedCertificate() throws Exception {
        ircd.close();
        watcher.close();
        ircd = NgircdServer.startWithTls();
        watcher = new IrcTestClient(ircd.port(), "watcher", "#alerts");
        IrcTarget target = IrcTarget.parse("ircs://127.0.0.1:" + ircd.tlsPort() + "/#alerts");

        // The JVM's trust store does not know the self-signed certificate: no connection, messages wait.
        try (RelayHarness untrusted = new RelayHarness(log -> List.of(new IrcOutput(
                new IrcOutput.Settings(target, "prowtls", null, 3, 8, null), new IrcBot(null), log)),
                WebhookAuth.none(), 100)) {
            untrusted.awaitLog(log -> log.contains("reconnecting"), 10);
            assertThat(untrusted.log()).containsIgnoringCase("certificat");
            assertThat(untrusted.get("/healthz").statusCode()).isEqualTo(503);
        }

        javax.net.ssl.SSLSocketFactory trusted = IrcTls.trusting(ircd.certificate());
        harness = new RelayHarness(log -> List.of(new IrcOutput(new IrcOutput.Settings(target, "prowtls", null, 3, 8,
                trusted), new IrcBot(null), log)), WebhookAuth.none(), 100);
        harness.awaitLog(log -> log.contains("joined #alerts"), 10);
        assertThat(harness.post("/hook", Bodies.alertmanager("OverTls", "s")).statusCode()).isEqualTo(200);
        assertThat(watcher.awaitCount(1, 10)).containsExactly("[FIRING:1] OverTls - s http://am.example:9093");
    }

    /** The alerts in the order said, with lines packed during a burst taken apart again. */
    static List<String> splitCoalesced(List<String> lines) {
        return lines.stream().flatMap(line -> Arrays.stream(line.split(" \\| "))).collect(Collectors.toList());
    }
}
