package dev.prowctl.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * The one way prowctl writes a file: whole or not at all. The bytes go to a temp file in the target's directory,
 * are flushed to disk, and the temp file is moved over the target with {@code ATOMIC_MOVE}; a process killed at any
 * point leaves the old file or the new one, and a failed write removes its temp file.
 */
public final class AtomicFiles {

    /** What to do when the file system cannot rename atomically. */
    public enum Fallback {
        /** Replace the file with a plain move (the old file stays whole until the move). */
        PLAIN_MOVE,
        /** Fail: a reader must never see a half-replaced file (shared caches). */
        FAIL
    }

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target} atomically, creating parent directories. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, null, Fallback.PLAIN_MOVE);
    }

    /**
     * Writes {@code bytes} to {@code target} atomically. With {@code permissions}, the temp file gets them before
     * any byte is written (for secrets: "rw-------"), so the content is never readable by others.
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions, Fallback fallback)
            throws IOException {
        try (Pending pending = Pending.create(target, permissions)) {
            pending.commit(bytes, fallback);
        }
    }

    /** Writes only when the content differs, so an unchanged file does not even get a new mtime. */
    public static boolean writeIfChanged(Path target, byte[] bytes) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return false;
        }
        write(target, bytes);
        return true;
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

        /** Writes {@code bytes}, flushes them to disk and renames the temp file to the target. */
        public void commit(byte[] bytes) throws IOException {
            commit(bytes, Fallback.PLAIN_MOVE);
        }

        /** As {@link #commit(byte[])}, with the given rule for a file system that cannot rename atomically. */
        public void commit(byte[] bytes, Fallback fallback) throws IOException {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                if (fallback == Fallback.FAIL) {
                    throw new IOException("the file system of " + tmp.getParent()
                            + " cannot replace files atomically", e);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Removes the temp file when it was not committed. */
        @Override
        public void close() throws IOException {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
