package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code scrape} remembers to fill gaps: when it last scraped successfully, and the start of a gap it has not
 * filled in full yet, in {@code <state-dir>/backfill/scrape-<hash>.json} (one file per deck, filters and destination;
 * written atomically). Deck shows the runs of its window (about a day); after a longer gap the runs made from one
 * window before the last scrape to one window before this one may never have been seen, and are backfilled from GCS.
 */
public final class GapState {

    static final String FORMAT = "prowctl-scrape-gap";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A window of build times, [since, until). */
    public record Window(Instant since, Instant until) {
    }

    private final Path file;
    private final String scope;
    private final Consumer<String> warnings;
    private Instant lastScrape;
    private Instant gapFrom;

    private GapState(Path file, String scope, Consumer<String> warnings) {
        this.file = file;
        this.scope = scope;
        this.warnings = warnings;
    }

    /** The state of {@code scope} in {@code stateDir}; an unreadable file gives one warning and no state. */
    public static GapState open(Path stateDir, String scope, Consumer<String> warnings) {
        GapState state = new GapState(stateDir.resolve("backfill").resolve("scrape-" + hash(scope) + ".json"), scope,
                warnings);
        try {
            JsonNode node = JSON.readTree(Files.readAllBytes(state.file));
            if (node == null || !FORMAT.equals(node.path("format").asText()) || node.path("version").asInt() != VERSION
                    || !scope.equals(node.path("scope").asText())) {
                throw new IOException("not a " + FORMAT + " version " + VERSION + " file of this scrape");
            }
            state.lastScrape = Instant.parse(node.path("last_scrape").asText());
            state.gapFrom = node.hasNonNull("gap_from") ? Instant.parse(node.path("gap_from").asText()) : null;
        } catch (NoSuchFileException e) {
            // the first scrape: nothing to fill
        } catch (IOException | DateTimeParseException e) {
            warnings.accept("scrape state " + state.file + " is unusable (" + e.getMessage() + "); no gap is filled"
                    + " this time");
        }
        return state;
    }

    /** The last successful scrape, if one was remembered. */
    public Optional<Instant> lastScrape() {
        return Optional.ofNullable(lastScrape);
    }

    /**
     * The window a scrape at {@code now} has to backfill: the rest of a gap not filled in full before, or, when the
     * last scrape is more than {@code deckWindow} ago, the build times from {@code deckWindow} before it to
     * {@code deckWindow} before now (deck shows the runs after that).
     */
    public Optional<Window> pending(Instant now, Duration deckWindow) {
        Instant until = now.minus(deckWindow);
        Instant since = gapFrom != null ? gapFrom
                : lastScrape != null && Duration.between(lastScrape, now).compareTo(deckWindow) > 0
                ? lastScrape.minus(deckWindow) : null;
        return since == null || !since.isBefore(until) ? Optional.empty() : Optional.of(new Window(since, until));
    }

    /**
     * Remembers a successful scrape at {@code scrapedAt}, and {@code unfilledFrom}, the start of a gap still to
     * fill (null: none). A state that cannot be written gives a warning: the next scrape fills no gap.
     */
    public void saved(Instant scrapedAt, Instant unfilledFrom) {
        lastScrape = scrapedAt;
        gapFrom = unfilledFrom;
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("version", VERSION);
        node.put("scope", scope);
        node.put("last_scrape", scrapedAt.toString());
        if (unfilledFrom != null) {
            node.put("gap_from", unfilledFrom.toString());
        }
        try {
            AtomicWrite.write(file, JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            warnings.accept("scrape state cannot be written to " + file + " (" + e.getMessage() + "): a gap before"
                    + " the next scrape will not be filled");
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
