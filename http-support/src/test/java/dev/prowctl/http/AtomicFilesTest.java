package dev.prowctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesNewParentsAndReplacesTheOldContentLeavingNoTempFile() throws IOException {
        Path file = dir.resolve("a/b/state.json");
        AtomicFiles.write(file, bytes("old"));
        AtomicFiles.write(file, bytes("new, longer"));

        assertThat(file).hasContent("new, longer");
        assertThat(names(file.getParent())).containsExactly("state.json");
    }

    @Test
    void theTempFileHasThePermissionsBeforeAnyByteSoASecretIsNeverReadableByOthers() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path file = dir.resolve("key");
        try (AtomicFiles.Pending pending = AtomicFiles.Pending.create(file,
                PosixFilePermissions.fromString("rw-------"))) {
            Path tmp = dir.resolve(names(dir).get(0));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp))).isEqualTo("rw-------");
            pending.commit(bytes("secret"), AtomicFiles.Fallback.FAIL);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(file).hasContent("secret");
    }

    @Test
    void aPendingWriteNotCommittedRemovesItsTempFileAndLeavesTheTargetAlone() throws IOException {
        Path file = dir.resolve("state.json");
        AtomicFiles.write(file, bytes("old"));
        try (AtomicFiles.Pending pending = AtomicFiles.Pending.create(file, null)) {
            assertThat(names(dir)).hasSize(2);
        }
        assertThat(names(dir)).containsExactly("state.json");
        assertThat(file).hasContent("old");
    }

    @Test
    void aFailedMoveRemovesTheTempFile() throws IOException {
        Path target = dir.resolve("state.json");
        try (AtomicFiles.Pending pending = AtomicFiles.Pending.create(target, null)) {
            // the target turns into a non-empty directory after the check: the move fails
            Files.createDirectories(target);
            Files.writeString(target.resolve("inside"), "x");
            assertThatThrownBy(() -> pending.commit(bytes("new"))).isInstanceOf(IOException.class);
        }
        assertThat(names(dir)).containsExactly("state.json");
        assertThat(target).isDirectory();
    }

    @Test
    void aDirectoryIsRefusedBeforeAnyTempFileIsMade() throws IOException {
        Path target = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> AtomicFiles.write(target, bytes("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("is a directory");
        assertThat(names(dir)).containsExactly("out");
    }

    @Test
    void unchangedContentIsNotWrittenAgain() throws IOException {
        Path file = dir.resolve("dash.json");
        assertThat(AtomicFiles.writeIfChanged(file, bytes("{}"))).isTrue();
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(file, old);

        assertThat(AtomicFiles.writeIfChanged(file, bytes("{}"))).isFalse();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);

        assertThat(AtomicFiles.writeIfChanged(file, bytes("{\"a\":1}"))).isTrue();
        assertThat(file).hasContent("{\"a\":1}");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static java.util.List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
