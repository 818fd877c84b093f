package dev.prowctl.grafana;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/** Writes files whole or not at all: a temp file in the same directory, then an atomic rename. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target} atomically, creating parent directories. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, null);
    }

    /**
     * Writes {@code bytes} to {@code target} atomically. With {@code permissions}, the temp file gets them before
     * any byte is written (for secrets: "rw-------"), so the content is never readable by others.
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
        try (Pending pending = Pending.create(target, permissions)) {
            pending.commit(bytes);
        }
    }

    /**
     * A file that will be written later, already shown to be writable: its temp file exists (created with the
     * permissions given). For content that cannot be had twice, such as a new API key: check first, then create.
     */
    public static final class Pending implements AutoCloseable {
        private final Path target;
        private final Path tmp;

        private Pending(Path target, Path tmp) {
            this.target = target;
            this.tmp = tmp;
        }

        /** Creates the parent directories and the temp file beside {@code target}. */
        public static Pending create(Path target, Set<PosixFilePermission> permissions) throws IOException {
            if (Files.isDirectory(target)) {
                throw new IOException(target + " is a directory");
            }
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = permissions != null && supportsPosix(dir)
                    ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                            PosixFilePermissions.asFileAttribute(permissions))
                    : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            return new Pending(target, tmp);
        }

        /** Writes {@code bytes} and renames the temp file to the target, atomically where the file system can. */
        public void commit(byte[] bytes) throws IOException {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Removes the temp file when it was not committed. */
        @Override
        public void close() throws IOException {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes only when the content differs, so an unchanged export does not even touch the file's mtime. */
    public static boolean writeIfChanged(Path target, byte[] bytes) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return false;
        }
        write(target, bytes);
        return true;
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
