package dev.prowctl.grafana.resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The paths below an export directory, never through a symbolic link: a link in a checked-out export (or planted
 * in a shared one) could otherwise make export write or import read files anywhere the user may. The directory
 * given with --dir may itself be a link; nothing below it may.
 */
public final class ExportDir {

    /** A symbolic link below the export directory: refused, never followed. */
    public static final class LinkRefused extends IOException {
        private static final long serialVersionUID = 1L;

        LinkRefused(Path link) {
            super(link + " is a symbolic link; prowctl never follows links inside the export directory "
                    + "(replace it with the real file or directory)");
        }
    }

    private ExportDir() {
    }

    /**
     * {@code root/relative}, after checking that no existing part of it below {@code root} is a symbolic link.
     *
     * @param relative '/'-separated, as {@link Resource#file()}
     */
    static Path resolve(Path root, String relative) throws LinkRefused {
        Path path = root;
        for (String part : relative.split("/")) {
            path = path.resolve(part);
            refuseLink(path);
        }
        return path;
    }

    /** Throws when {@code path} is a symbolic link (a missing path is fine: it will be created as a real one). */
    static void refuseLink(Path path) throws LinkRefused {
        if (Files.isSymbolicLink(path)) {
            throw new LinkRefused(path);
        }
    }
}
