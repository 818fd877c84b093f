package dev.prowctl.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the stack driver takes from the machine: the environment variables its child processes get (and whose
 * {@code PATH} locates {@code docker} and {@code docker-compose}), the working directory the compose file is looked
 * up from, and how often health is polled. Passed in, so tests use a fake {@code docker} without touching the JVM's
 * own environment.
 */
public record HostEnvironment(Map<String, String> variables, Path workingDir, Duration pollInterval) {

    public HostEnvironment {
        variables = Map.copyOf(variables);
        workingDir = workingDir.toAbsolutePath().normalize();
    }

    /** This process's environment and working directory, polling health every two seconds. */
    public static HostEnvironment current() {
        return new HostEnvironment(System.getenv(), Paths.get(""), Duration.ofSeconds(2));
    }

    /** The value of an environment variable, empty when unset or blank. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }

    /** The first executable file called {@code name} in the directories of {@code PATH}. */
    public Optional<Path> findExecutable(String name) {
        String path = variables.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
