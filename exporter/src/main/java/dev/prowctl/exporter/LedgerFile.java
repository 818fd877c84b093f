package dev.prowctl.exporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.http.AtomicFiles;

/**
 * The exporter's state file, {@code exporter-state.json} in the state dir: written whole with
 * {@link AtomicFiles}, so a crash leaves either the old or the new state, never half of one.
 */
public final class LedgerFile {

    public static final String FILE_NAME = "exporter-state.json";
    static final String FORMAT = "prowctl-exporter-state";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    public LedgerFile(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * Loads the saved counts into {@code ledger}; a missing file leaves it empty (first start).
     *
     * @throws IOException when the file exists but cannot be used: starting from zero instead would count the runs
     *                     of deck's window a second time, so the caller stops and says so
     */
    public void load(RunLedger ledger) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        LedgerState state;
        try {
            state = JSON.readValue(bytes, LedgerState.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not an exporter state file (" + e.getOriginalMessage()
                    + "); move it away to start counting from zero", e);
        }
        if (!FORMAT.equals(state.format()) || state.version() != VERSION) {
            throw new IOException(file + " has format " + state.format() + " version " + state.version()
                    + ", expected " + FORMAT + " version " + VERSION + "; move it away to start counting from zero");
        }
        try {
            ledger.restore(state);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + " is unusable (" + e.getMessage()
                    + "); move it away to start counting from zero", e);
        }
    }

    /** Saves {@code ledger} atomically. */
    public void save(RunLedger ledger) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(ledger.snapshot()));
    }
}
