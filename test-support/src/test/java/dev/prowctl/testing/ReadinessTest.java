package dev.prowctl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {

    @TempDir
    Path dir;

    @Test
    void aServerThatExitsFailsFastWithItsLog() throws IOException {
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(TestEnv.requireBinary("sh", "dash").toString(), "-c",
                "echo 'bind: address already in use'; exit 3")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long started = System.nanoTime();
        assertThatThrownBy(() -> Readiness.await("fakeserver", process, log, Duration.ofSeconds(30), () -> false))
                .isInstanceOf(IOException.class)
                .hasMessage("fakeserver exited with 3: bind: address already in use\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aServerThatNeverGetsReadyIsStoppedAtTheTimeout() throws IOException {
        Process process = new ProcessBuilder(TestEnv.requireBinary("sleep", "coreutils").toString(), "60")
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            assertThatThrownBy(() -> Readiness.await("sleeper", process, dir.resolve("server.log"),
                    Duration.ofMillis(200), () -> false))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("sleeper was not ready within 0 s");
            assertThat(process.isAlive()).isFalse();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void anHttpProbeWaitsForTheExpectedStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ping", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(Readiness.answers(base + "/ping", 204).ready()).isTrue();
            assertThat(Readiness.answers(base + "/ping", 200).ready()).isFalse();
            assertThat(Readiness.answers(base + "/other", 204).ready()).isFalse();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aTcpProbeNeedsEveryPort() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int closed = TestEnv.freePort();
            assertThat(Readiness.acceptsConnections(listening.getLocalPort()).ready()).isTrue();
            assertThatThrownBy(() -> Readiness.acceptsConnections(listening.getLocalPort(), closed).ready())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void untilReturnsTheFirstAcceptedValueAndTreatsIoErrorsAsNotYet() throws Exception {
        int[] calls = {0};
        int value = Readiness.until("the third call", Duration.ofSeconds(10), Duration.ofMillis(1), () -> {
            calls[0]++;
            if (calls[0] == 1) {
                throw new IOException("connection refused");
            }
            return calls[0];
        }, n -> n >= 3);
        assertThat(value).isEqualTo(3);
    }

    @Test
    void untilFailsAtItsDeadlineWithTheLastValueSeen() {
        assertThatThrownBy(() -> Readiness.until("seven", Duration.ofMillis(50), Duration.ofMillis(5), () -> 6,
                n -> n == 7))
                .isInstanceOf(AssertionError.class).hasMessage("waited 50 ms for seven; last seen: 6");
        assertThatThrownBy(() -> Readiness.until("a server", Duration.ZERO, Duration.ofMillis(5), () -> {
            throw new IOException("refused");
        }, v -> true)).isInstanceOf(AssertionError.class).hasMessageContaining("refused");
    }
}
