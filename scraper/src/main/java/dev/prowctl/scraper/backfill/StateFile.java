package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.http.AtomicFiles;

/**
 * The JSON state files of {@link Checkpoints} and {@link GapState}: each starts with its format, version and scope,
 * is read back only when all three match, and is written atomically.
 */
final class StateFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String format;
    private final int version;

    StateFile(String format, int version) {
        this.format = format;
        this.version = version;
    }

    /** A new file's content: format, version and {@code scope}; the caller adds the rest. */
    ObjectNode create(String scope) {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", format);
        node.put("version", version);
        node.put("scope", scope);
        return node;
    }

    /**
     * The content of {@code file}, or empty when there is none.
     *
     * @throws IOException when it cannot be read, is not JSON, or is not a file of this format, version and scope
     *                     ({@code whose} ends the message, e.g. "this scrape")
     */
    Optional<JsonNode> read(Path file, String scope, String whose) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (node == null || !format.equals(node.path("format").asText()) || node.path("version").asInt() != version
                || !scope.equals(node.path("scope").asText())) {
            throw notOurs(whose);
        }
        return Optional.of(node);
    }

    IOException notOurs(String whose) {
        return new IOException("not a " + format + " version " + version + " file of " + whose);
    }

    static void write(Path file, ObjectNode node) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(node));
    }

    /** 16 hex digits of SHA-256: a file name part unique to {@code text}. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
