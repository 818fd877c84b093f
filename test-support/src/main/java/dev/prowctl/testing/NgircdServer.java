package dev.prowctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;


/**
 * A real ngIRCd (Debian package {@code ngircd}) on 127.0.0.1 and a free port. {@link #stop()} and {@link #restart()}
 * kill and start it again on the same port (to test reconnects); {@link #close()} stops it by its PID.
 */
public final class NgircdServer implements AutoCloseable {
    /** An IRC operator ({@code OPER}) who may set channel modes without being a channel operator. */
    public static final String OPERATOR = "oper";
    public static final String OPERATOR_PASSWORD = "oper-pass";
    private final Path binary;
    private final Path dir;
    private final int port;
    private final int tlsPort;
    private Process process;

    private NgircdServer(Path binary, Path dir, int port, int tlsPort) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** Without flood penalties (see {@link #startWithFloodPenalties()}). */
    public static NgircdServer start() throws IOException, InterruptedException {
        return start(false, false);
    }

    /**
     * With ngIRCd's flood penalties, as on a real network: they only slow a client down (ngIRCd then stops reading
     * from it; it does not disconnect it), at about one second per JOIN and three lines per second. The other
     * tests run without them, so as not to wait for them in real time; the relay's own pacing is checked on a
     * virtual clock.
     */
    public static NgircdServer startWithFloodPenalties() throws IOException, InterruptedException {
        return start(false, true);
    }

    /**
     * Also listens with TLS on {@link #tlsPort()}, with a fresh self-signed certificate for 127.0.0.1
     * ({@link #certificate()}, made with {@code openssl}).
     */
    public static NgircdServer startWithTls() throws IOException, InterruptedException {
        return start(true, false);
    }

    private static NgircdServer start(boolean tls, boolean penalties) throws IOException, InterruptedException {
        Path binary = TestEnv.requireBinary("ngircd", "ngircd");
        // As root ngIRCd drops to "nobody", which must be able to read its configuration.
        Path dir = Files.createTempDirectory("prowctl-ngircd",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path confDir = Files.createDirectories(dir.resolve("conf.d"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(confDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = TestEnv.freePort();
        int tlsPort = tls ? TestEnv.freePort() : 0;
        if (tls) {
            Path openssl = TestEnv.requireBinary("openssl", "openssl");
            Process certs = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (certs.waitFor() != 0) {
                throw new IOException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
            }
            // Read by ngIRCd after it dropped to "nobody"; a throwaway test key.
            Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        }
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
                  MaxPenaltyTime = %d
                [Options]
                  DNS = no
                  Ident = no
                  PAM = no
                  IncludeDir = %s
                  OperCanUseMode = yes
                [Operator]
                  Name = %s
                  Password = %s
                """.formatted(port, penalties ? -1 : 0, confDir, OPERATOR, OPERATOR_PASSWORD) + (tls ? """
                [SSL]
                  CertFile = %1$s/cert.pem
                  KeyFile = %1$s/key.pem
                  Ports = %2$d
                """.formatted(dir, tlsPort) : ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        NgircdServer server = new NgircdServer(binary, dir, port, tlsPort);
        server.restart();
        return server;
    }

    public int port() {
        return port;
    }

    /** The TLS port (0 unless started with {@link #startWithTls()}). */
    public int tlsPort() {
        return tlsPort;
    }

    /** The server's self-signed certificate (PEM). */
    public Path certificate() {
        return dir.resolve("cert.pem");
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
        int[] ports = tlsPort != 0 ? new int[] {port, tlsPort} : new int[] {port};
        Readiness.await("ngircd", process, logFile(), Duration.ofSeconds(10), Readiness.acceptsConnections(ports));
    }

    /** Kills ngIRCd by its PID (SIGKILL: no goodbye to the clients). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process != null) {
            TestEnv.stop(process);
        }
        TestEnv.deleteTree(dir);
    }
}
