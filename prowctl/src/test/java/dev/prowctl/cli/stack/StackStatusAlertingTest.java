package dev.prowctl.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.cli.TestCommandLine;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.relay.LogOutput;
import dev.prowctl.relay.Relay;
import dev.prowctl.relay.RelayLog;
import dev.prowctl.relay.WebhookAuth;
import dev.prowctl.relay.WebhookServer;
import dev.prowctl.stack.FakeDocker;
import dev.prowctl.stack.FakeDocker.Answer;

/**
 * {@code prowctl stack status} after compose ps: whether alerting is wired (receiver, relay container, the
 * prowctl-relay contact point in Grafana) and the relay's /healthz, against the spec-checked fake Grafana and a
 * real relay webhook server.
 */
class StackStatusAlertingTest {

    private static final String RUNNING = "{\"Status\":\"running\"}";

    @TempDir
    Path dir;

    private Path checkout() throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.writeString(checkout.resolve("docker-compose.yml"), "services: {}\n");
        Files.createDirectories(checkout.resolve("grafana/provisioning"));
        return checkout;
    }

    private static String config(int grafanaPort, int relayPort, String receiver) {
        return """
                {"name":"prowctl","services":{"grafana":{"environment":{"GF_SECURITY_ADMIN_PASSWORD":"admin",\
                "GF_SECURITY_ADMIN_USER":"admin","PROWCTL_ALERT_RECEIVER":"%s"},"ports":[{"mode":"ingress",\
                "host_ip":"127.0.0.1","target":3000,"published":"%d","protocol":"tcp"}]},\
                "relay":{"ports":[{"mode":"ingress","host_ip":"127.0.0.1","target":9095,"published":"%d",\
                "protocol":"tcp"}]}}}
                """.formatted(receiver, grafanaPort, relayPort);
    }

    private CliRun status(FakeDocker fake) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TestCommandLine.create(new PrintWriter(out), new PrintWriter(err));
        ((StackCommand) cli.getSubcommands().get("stack").getCommandSpec().userObject()).host =
                fake.install(checkout());
        int code = cli.execute("stack", "status");
        return new CliRun(ExitCodes.of(code), out.toString(), err.toString());
    }

    @Test
    void wiredWhenGrafanaRoutesToTheRunningRelayAndHasTheContactPoint() throws Exception {
        RelayLog log = new RelayLog(new PrintWriter(new StringWriter()), false);
        Relay relay = new Relay(List.of(new LogOutput(log)), 10, log);
        relay.start();
        // one alert delivered, so the relay has a last delivery to report
        assertThat(relay.offer(List.of("[FIRING:1] test"))).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (relay.lastDeliveries().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        WebhookServer server = new WebhookServer(new InetSocketAddress("127.0.0.1", 0), relay, WebhookAuth.none(),
                log, null);
        server.start();
        try (FakeGrafana grafana = Fakes.start(FakeGrafana.Line.V12)) {
            grafana.addContactPoint("prowctl-relay", "prowctl-relay", "webhook", JsonNodeFactory.instance.objectNode()
                    .put("url", "http://relay:9095/hook"));
            FakeDocker fake = FakeDocker.v2(dir)
                    .on("docker", "compose * config --format json",
                            Answer.ok(config(grafana.url().port(), server.address().getPort(), "prowctl-relay")))
                    .on("docker", "compose * ps -a -q relay", Answer.ok("c0ffee09\n"))
                    .on("docker", "inspect --format {{json .State}} c0ffee09", Answer.ok(RUNNING));

            CliRun run = status(fake);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).containsPattern("Alerting \\(docs/alerts.md\\):\n"
                    + "  alerts go to:  prowctl-relay \\(the relay\\)\n"
                    + "  relay:         running\n"
                    + "  contact point: present in Grafana \\(webhook to http://relay:9095/hook\\)\n"
                    + "  relay health:  ok; log: usable, 0 queued, lastDelivery delivered, lastDeliveryAt "
                    + "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\n"
                    + "  wired:         yes\n");
            Fakes.assertConforms(grafana);
        } finally {
            server.close();
            relay.shutdown(Duration.ofSeconds(1));
        }
    }

    /** The default: no relay, alerts stay with Grafana's own contact point; status says so and how to change it. */
    @Test
    void notWiredByDefaultAndSaysHowToTurnItOn() throws Exception {
        try (FakeGrafana grafana = Fakes.start(FakeGrafana.Line.V12)) {
            FakeDocker fake = FakeDocker.v2(dir).on("docker", "compose * config --format json",
                    Answer.ok(config(grafana.url().port(), 9, "grafana-default-email")));

            CliRun run = status(fake);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("Alerting (docs/alerts.md):\n"
                    + "  alerts go to:  grafana-default-email (not the relay; PROWCTL_ALERT_RECEIVER=prowctl-relay"
                    + " sends them there)\n"
                    + "  relay:         not created (COMPOSE_PROFILES=relay starts it)\n"
                    + "  contact point: missing in Grafana (grafana/provisioning/alerting/contact-points.yaml not"
                    + " loaded)\n"
                    + "  relay health:  -\n"
                    + "  wired:         no\n");
        }
    }
}
