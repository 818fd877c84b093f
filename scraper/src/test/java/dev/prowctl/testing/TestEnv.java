package dev.prowctl.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Where the test suite finds what lives outside the project: real server binaries from Debian packages and the
 * read-only {@code ../shared} reference folder. On a developer machine a missing piece skips the test with a clear
 * message; with {@code PROWCTL_REQUIRE_SERVERS=1} (set by {@code .ci/run}) it fails the test instead.
 */
public final class TestEnv {

    private TestEnv() {
    }

    /** True when a missing server or {@code ../shared} must fail the build (CI). */
    public static boolean serversRequired() {
        return "1".equals(System.getenv("PROWCTL_REQUIRE_SERVERS"));
    }

    /** Skips the test (or fails it in CI) with {@code message}. */
    public static void missing(String message) {
        if (serversRequired()) {
            fail(message + " (PROWCTL_REQUIRE_SERVERS=1: integration tests are required here)");
        }
        Assumptions.abort(message);
    }

    /** The path of a server binary, looked up on PATH and in the sbin directories. */
    public static Path requireBinary(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        List<String> dirs = new java.util.ArrayList<>(List.of(path.split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        for (String dir : dirs) {
            Path candidate = Paths.get(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        missing(name + " not found: install it with `apt-get install " + debianPackage + "`");
        throw new AssertionError("unreachable");
    }

    /** The repository's root directory. */
    public static Path repoDir() {
        String configured = System.getProperty("prowctl.repo.dir");
        if (configured != null) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(".mvn"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root from " + Paths.get("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * The shared reference folder ({@code ../shared} next to the checkout, or {@code $PROWCTL_SHARED_DIR}); tests
     * that read fixtures from it skip with a clear message when it is absent.
     */
    public static Path sharedDir() {
        String env = System.getenv("PROWCTL_SHARED_DIR");
        Path dir = env != null ? Paths.get(env) : repoDir().resolve("../shared");
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            missing("../shared is absent (" + dir + "): fixture-based tests need the shared reference folder");
        }
        return dir;
    }

    /** A file under {@code ../shared}, skipping (or failing in CI) when it is absent. */
    public static Path sharedFile(String relative) {
        Path file = sharedDir().resolve(relative);
        if (!Files.exists(file)) {
            missing("shared fixture missing: " + file);
        }
        return file;
    }

    /** Stops a server the tests started, by its PID: SIGTERM, then SIGKILL when it has not exited in 10 s. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes a server's temporary directory; one left behind is harmless, so failures are ignored. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
