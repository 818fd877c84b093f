package dev.prowctl.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.prowctl.testing.TestEnv;

/**
 * A real ngIRCd (Debian package {@code ngircd}) on 127.0.0.1 and a free port. {@link #stop()} and {@link #restart()}
 * kill and start it again on the same port (to test reconnects); {@link #close()} stops it by its PID.
 */
public final class NgircdServer implements AutoCloseable {
    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    private NgircdServer(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    public static NgircdServer start() throws IOException, InterruptedException {
        Path binary = TestEnv.requireBinary("ngircd", "ngircd");
        // As root ngIRCd drops to "nobody", which must be able to read its configuration.
        Path dir = Files.createTempDirectory("prowctl-ngircd",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path confDir = Files.createDirectories(dir.resolve("conf.d"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(confDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = TestEnv.freePort();
        Path config = dir.resolve("ngircd.conf");
        Files.writeString(config, """
                [Global]
                  Name = irc.test.local
                  Info = test ircd
                  AdminInfo1 = test
                  AdminInfo2 = test
                  AdminEMail = test@localhost
                  Listen = 127.0.0.1
                  Ports = %d
                [Limits]
                  MaxConnectionsIP = 0
                [Options]
                  DNS = no
                  Ident = no
                  PAM = no
                  IncludeDir = %s
                """.formatted(port, confDir));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        NgircdServer server = new NgircdServer(binary, dir, port);
        server.restart();
        return server;
    }

    public int port() {
        return port;
    }

    /** Where ngIRCd writes its log (for assertion messages). */
    public Path logFile() {
        return dir.resolve("ngircd.log");
    }

    public String log() throws IOException {
        return Files.exists(logFile()) ? Files.readString(logFile()) : "";
    }

    /** Starts ngIRCd (again) on the same port and waits until it accepts connections. */
    public void restart() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary.toString(), "--nodaemon", "-f", dir.resolve("ngircd.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("ngircd exited with " + process.exitValue() + ": " + log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException("ngircd did not accept connections within 10 s: " + log());
    }

    /** Kills ngIRCd by its PID (SIGKILL: no goodbye to the clients). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
