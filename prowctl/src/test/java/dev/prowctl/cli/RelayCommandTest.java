package dev.prowctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.testing.TestEnv;
import mockwebserver3.MockResponse;
import picocli.CommandLine;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

class RelayCommandTest {

    @Test
    void refusesToListenOnAllInterfacesWithoutAuthentication() {
        CliRun run = CliRun.of("relay", "--listen", "0.0.0.0:" + TestEnv.freePort());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("refusing to listen on 0.0.0.0").contains("--insecure");
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir Path dir) {
        CliRun badIrc = CliRun.of("relay", "--irc", "http://irc.example/#ops");
        assertThat(badIrc.exitCode()).as(badIrc.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badIrc.err()).contains("ircs://");
        CliRun badBasic = CliRun.of("relay", "--basic-auth", "nocolon");
        assertThat(badBasic.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badBasic.err()).contains("USER:PASSWORD").doesNotContain("nocolon");
        CliRun missingFile = CliRun.of("relay", "--auth-token", "@" + dir.resolve("absent"));
        assertThat(missingFile.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missingFile.err()).contains("--auth-token: cannot read");
        for (String[] secret : new String[][] {{"--auth-token", "tok\r\nX-Injected: 1"},
                {"--basic-auth", "am:p\u00e4ss"}, {"--hmac-secret", "k\u0000ey"}, {"--irc-password", "pw\nQUIT"}}) {
            CliRun bad = CliRun.of("relay", "--irc", "irc://127.0.0.1:1/#ops", secret[0], secret[1]);
            assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).contains(secret[0]).contains("printable ASCII").doesNotContain(secret[1]);
        }
        CliRun badListen = CliRun.of("relay", "--listen", "localhost");
        assertThat(badListen.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void graceAndHmacMaxAgeTakeDurationsAndAPlainNumberStillMeansSeconds() {
        RelayCommand defaults = parse();
        assertThat(defaults.grace).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.webhooks.hmacMaxAge).isEqualTo(Duration.ofMinutes(5));
        RelayCommand units = parse("--grace", "2m", "--hmac-max-age", "90s");
        assertThat(units.grace).isEqualTo(Duration.ofMinutes(2));
        assertThat(units.webhooks.hmacMaxAge).isEqualTo(Duration.ofSeconds(90));
        RelayCommand plain = parse("--grace", "30", "--hmac-max-age", "600");
        assertThat(plain.grace).isEqualTo(Duration.ofSeconds(30));
        assertThat(plain.webhooks.hmacMaxAge).isEqualTo(Duration.ofSeconds(600));
        assertThat(parse("--grace", "0").grace).isZero();

        CliRun wrong = CliRun.of("relay", "--grace", "soon");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err()).contains("--grace").contains("not a duration");
        CliRun zeroSkew = CliRun.of("relay", "--hmac-max-age", "0");
        assertThat(zeroSkew.exitCode()).as("no signature could pass: " + zeroSkew).isEqualTo(ExitCodes.USAGE);
        assertThat(zeroSkew.err()).contains("--hmac-max-age").contains("positive");
    }

    @Test
    void anOptionOfAGroupLeavesTheOtherDefaultsOfItsGroup() {
        RelayCommand relay = parse("--irc-rate", "5");
        assertThat(relay.irc.rate).isEqualTo(5.0);
        assertThat(relay.irc.burst).isEqualTo(8);
        assertThat(relay.webhooks.hmacTimestampHeader).isNotBlank();
    }

    @Test
    void helpListsTheOptionsByGroup() {
        CliRun run = CliRun.of("relay", "--help");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).containsSubsequence("Listening and authentication:", "--auth-token", "IRC:",
                "--irc-nick", "Chat and log:", "--slack-webhook", "Grafana", "--grafana-url");
    }

    private static RelayCommand parse(String... args) {
        RelayCommand relay = new RelayCommand();
        new CommandLine(relay).parseArgs(args);
        return relay;
    }

    @Test
    void aPortInUseIsAnEnvironmentError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("relay", "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void relaysAWebhookToChatAndStderrWithSecretsFromFilesAndLogsAccessAsJson(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "file-t0ken\n");
        MockWebServer chat = new MockWebServer();
        chat.start();
        chat.enqueue(new MockResponse.Builder().code(200).build());
        Path chatUrls = Files.writeString(dir.resolve("chat-urls"), chat.url("/hooks/SECRETPATH") + "\n");
        int port = TestEnv.freePort();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The relay runs until stopped: interrupting its thread stops it like SIGTERM (see the finally below).
        Thread relay = new Thread(() -> Prowctl.run(new PrintWriter(out), new PrintWriter(err), "relay",
                "--listen", "127.0.0.1:" + port, "--auth-token", "@" + token, "-o", "json", "--log-alerts",
                "--slack-webhook", "@" + chatUrls), "relay-under-test");
        relay.setDaemon(true);
        relay.start();
        try {
            relaysThroughTheRunningCommand(port, err, out, chat);
        } finally {
            relay.interrupt();
            relay.join(15_000);
            chat.close();
        }
        assertThat(relay.isAlive()).as("relay stopped; stderr: " + err).isFalse();
        assertThat(err.toString()).contains("stopping: delivering what is queued");
        try (java.net.Socket probe = new java.net.Socket()) {
            assertThatThrownBy(() -> probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000))
                    .as("the relay's port is closed after it stopped").isInstanceOf(java.net.ConnectException.class);
        }
        assertThat(err.toString() + out).doesNotContain("file-t0ken").doesNotContain("SECRETPATH");
    }

    private static void relaysThroughTheRunningCommand(int port, StringWriter err, StringWriter out,
                                                       MockWebServer chat) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI hook = URI.create("http://127.0.0.1:" + port + "/hook");
        String body = """
                {"version":"4","status":"firing","groupLabels":{"alertname":"CliSmoke"},
                 "commonAnnotations":{"summary":"via the CLI"},
                 "alerts":[{"status":"firing","labels":{"alertname":"CliSmoke"},"annotations":{},
                            "startsAt":"2026-11-28T01:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        HttpResponse<String> response = null;
        while (response == null) {
            try {
                response = http.send(HttpRequest.newBuilder(hook).header("Authorization", "Bearer file-t0ken")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException notYet) {
                assertThat(System.nanoTime()).as("relay listening; stderr: " + err).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        assertThat(response.statusCode()).as(err.toString()).isEqualTo(200);
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(hook)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(401);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"log\"").contains("chat http://");

        while (!err.toString().contains("alert: [FIRING:1] CliSmoke - via the CLI")) {
            assertThat(System.nanoTime()).as("stderr: " + err).isLessThan(deadline);
            Thread.sleep(20);
        }
        while (out.toString().lines().count() < 3) {
            assertThat(System.nanoTime()).as("stdout: " + out).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(out.toString().lines().findFirst().orElseThrow())
                .contains("\"path\":\"/hook\"").contains("\"status\":200").contains("\"dialect\":\"alertmanager\"");
        RecordedRequest posted = chat.takeRequest(15, TimeUnit.SECONDS);
        assertThat(posted).isNotNull();
        assertThat(posted.getBody().utf8()).isEqualTo("{\"text\":\"[FIRING:1] CliSmoke - via the CLI\"}");
    }
}
