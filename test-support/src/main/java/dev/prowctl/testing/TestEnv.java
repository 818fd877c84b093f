package dev.prowctl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the test suite finds what lives outside the project: real server binaries from Debian packages and the
 * read-only {@code ../shared} reference folder. A missing piece goes through the one rule, {@link Prerequisites}:
 * skipped with a clear message on a developer machine, a failure with {@code PROWCTL_REQUIRE_SERVERS=1} (CI).
 */
public final class TestEnv {

    private TestEnv() {
    }

    /** True when a missing server or {@code ../shared} must fail the build (CI). */
    public static boolean serversRequired() {
        return Prerequisites.ofEnvironment().required();
    }

    /** Skips the test (or fails it in CI) with {@code message}. */
    public static void missing(String message) {
        Prerequisites.ofEnvironment().missing(message);
    }

    /** The path of a server binary, looked up on PATH and in the sbin directories. */
    public static Path requireBinary(String name, String debianPackage) {
        return Prerequisites.ofEnvironment().binary(name, debianPackage);
    }

    /** The value of an opt-in test's variable; skipped everywhere (CI too) when unset, see {@link Prerequisites}. */
    public static String optIn(String variable, String why) {
        return Prerequisites.ofEnvironment().optIn(variable, why);
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
     * The shared reference folder: {@code $PROWCTL_SHARED_DIR}, else the build's {@code prowctl.shared.dir}, else
     * {@code ../shared} next to the checkout. Skipped (or failed in CI) when it is absent.
     */
    public static Path sharedDir() {
        String env = System.getenv("PROWCTL_SHARED_DIR");
        String property = System.getProperty("prowctl.shared.dir");
        Path dir = env != null ? Paths.get(env) : property != null ? Paths.get(property) : repoDir().resolve("../shared");
        return Prerequisites.ofEnvironment().file(dir.toAbsolutePath().normalize(),
                "../shared (the reference folder fixture-based tests read)");
    }

    /** A file under {@code ../shared}, skipping (or failing in CI) when it is absent. */
    public static Path sharedFile(String relative) {
        return Prerequisites.ofEnvironment().file(sharedDir().resolve(relative), "shared fixture " + relative);
    }

    /**
     * A fixture on the test classpath (such as test-support's {@code prow/scrape-cases.json}) as a file. Copied to
     * a temporary file when it sits inside a jar, as it does when Maven runs a later module against test-support's
     * packaged jar. Not a prerequisite: a missing resource is a broken build, so it throws.
     */
    public static Path resource(String name) {
        URL url = TestEnv.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name + " on the classpath");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Paths.get(url.toURI());
            }
            Path copy = Files.createTempFile("prowctl-fixture-", "-" + Paths.get(name).getFileName());
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
