package dev.prowctl.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for what a test needs from outside the project (a server binary, a file under {@code ../shared}):
 * when it is missing, the test is skipped on a developer machine, and fails under {@code PROWCTL_REQUIRE_SERVERS=1}
 * (set by {@code .ci/run}), so a CI machine cannot pass by skipping.
 *
 * <p>Opt-in tests ({@link #optIn}) are the exception: they need something CI deliberately does not have (a real
 * Grafana at {@code GRAFANA_TEST_URL}, a Docker daemon for testcontainers), so they skip everywhere unless asked for.
 */
public final class Prerequisites {

    /** The variable that turns a missing prerequisite from a skip into a failure. */
    public static final String REQUIRE_SERVERS = "PROWCTL_REQUIRE_SERVERS";

    private static final Prerequisites ENVIRONMENT = new Prerequisites(System.getenv());

    /** Server binaries from Debian packages often live in sbin, which a normal user's PATH lacks. */
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    private final Map<String, String> environment;

    /** The rule under the given environment variables; tests of the rule pass their own. */
    Prerequisites(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The rule under this process's environment. */
    public static Prerequisites ofEnvironment() {
        return ENVIRONMENT;
    }

    /** True when a missing prerequisite fails the test (CI). */
    public boolean required() {
        return "1".equals(environment.get(REQUIRE_SERVERS));
    }

    /**
     * Ends the current test because something it needs is missing: an assumption failure (skipped) here, an
     * assertion failure when {@link #required()}. Never returns normally.
     */
    public void missing(String message) {
        if (required()) {
            Assertions.fail(message + " (" + REQUIRE_SERVERS + "=1: a missing server or fixture fails the build)");
        }
        Assumptions.abort(message);
    }

    /** The path of an executable, looked up on PATH and in the sbin directories, or {@link #missing}. */
    public Path binary(String name, String debianPackage) {
        for (Path dir : binaryDirs()) {
            Path candidate = dir.resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        missing(name + " not found: install it with `apt-get install " + debianPackage + "`");
        throw new AssertionError("unreachable: missing() always throws");
    }

    /** {@code file} (a file or directory) when it exists, else {@link #missing} with {@code what} it is. */
    public Path file(Path file, String what) {
        if (!Files.exists(file)) {
            missing(what + " is absent: " + file);
        }
        return file;
    }

    /**
     * The value of {@code variable} for an opt-in test; the test is skipped (never failed, even in CI) when it is
     * unset, because {@code why} names something CI deliberately does not provide.
     */
    public String optIn(String variable, String why) {
        String value = environment.get(variable);
        Assumptions.assumeTrue(value != null && !value.isBlank(), () -> variable + " is not set: " + why);
        return value;
    }

    private List<Path> binaryDirs() {
        List<Path> dirs = new ArrayList<>();
        for (String dir : environment.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        SBIN.forEach(dir -> dirs.add(Path.of(dir)));
        return dirs;
    }
}
