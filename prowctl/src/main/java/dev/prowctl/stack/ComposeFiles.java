package dev.prowctl.stack;

import static dev.prowctl.stack.StackException.Reason.MISSING_TOOL;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Optional;


/**
 * Finds the stack's docker-compose.yml: the one given, else the nearest prowctl checkout's, looking from the working
 * directory up, then from the prowctl jar up. A checkout is a directory with docker-compose.yml and
 * grafana/provisioning, so another project's compose file in the working directory is never picked up.
 */
public final class ComposeFiles {

    public static final String NAME = "docker-compose.yml";

    private ComposeFiles() {
    }

    public static Path locate(Path given, HostEnvironment host) {
        if (given != null) {
            Path file = host.workingDir().resolve(given).normalize();
            if (!Files.isRegularFile(file)) {
                throw new StackException(MISSING_TOOL, "compose file " + file + " does not exist");
            }
            return file;
        }
        return searchUp(host.workingDir())
                .or(() -> jarDir().flatMap(ComposeFiles::searchUp))
                .orElseThrow(() -> new StackException(MISSING_TOOL, "no prowctl checkout (" + NAME
                        + " next to grafana/provisioning) in " + host.workingDir()
                        + " or its parents: run from the prowctl checkout or pass --file"));
    }

    static Optional<Path> searchUp(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(NAME);
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("grafana/provisioning"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The directory of the running prowctl jar (prowctl/target in a checkout), if it runs from a jar. */
    private static Optional<Path> jarDir() {
        CodeSource source = ComposeFiles.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Optional.empty();
        }
        try {
            Path location = Paths.get(source.getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.ofNullable(location.getParent()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
