package dev.prowctl.scraper.backfill;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
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
    private static final StateFile STATE = new StateFile(FORMAT, VERSION);

    /** A window of build times, [since, until). */
    public record Window(Instant since, Instant until) {
    }

    private final Path file;
    private final String scope;
    private final Consumer<String> warnings;
    private Instant lastScrape;
    private Window unfilled;

    private GapState(Path file, String scope, Consumer<String> warnings) {
        this.file = file;
        this.scope = scope;
        this.warnings = warnings;
    }

    /** The state of {@code scope} in {@code stateDir}; an unreadable file gives one warning and no state. */
    public static GapState open(Path stateDir, String scope, Consumer<String> warnings) {
        Path file = stateDir.resolve("backfill").resolve("scrape-" + StateFile.hash(scope) + ".json");
        GapState state = new GapState(file, scope, warnings);
        try {
            Optional<JsonNode> read = STATE.read(state.file, scope, "this scrape");
            if (read.isEmpty()) {
                return state; // the first scrape: nothing to fill
            }
            JsonNode node = read.get();
            state.lastScrape = Instant.parse(node.path("last_scrape").asText());
            state.unfilled = node.hasNonNull("gap_from") ? new Window(Instant.parse(node.path("gap_from").asText()),
                    Instant.parse(node.path("gap_until").asText())) : null;
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
     * The window a scrape at {@code now} has to backfill: when the last scrape is more than {@code deckWindow} ago,
     * the build times from {@code deckWindow} before it to {@code deckWindow} before now (deck shows the runs after
     * that), joined with what is left of a gap an earlier scrape did not fill in full.
     */
    public Optional<Window> pending(Instant now, Duration deckWindow) {
        Window gap = lastScrape != null && Duration.between(lastScrape, now).compareTo(deckWindow) > 0
                ? new Window(lastScrape.minus(deckWindow), now.minus(deckWindow)) : null;
        if (unfilled != null) {
            gap = gap == null ? unfilled : new Window(min(gap.since(), unfilled.since()),
                    max(gap.until(), unfilled.until()));
        }
        return gap == null || !gap.since().isBefore(gap.until()) ? Optional.empty() : Optional.of(gap);
    }

    /**
     * Remembers a successful scrape at {@code scrapedAt}, and a gap still to fill ({@code unfilledGap}; null: none).
     * A state that cannot be written gives a warning: the next scrape fills no gap.
     */
    public void saved(Instant scrapedAt, Window unfilledGap) {
        lastScrape = scrapedAt;
        unfilled = unfilledGap;
        ObjectNode node = STATE.create(scope);
        node.put("last_scrape", scrapedAt.toString());
        if (unfilledGap != null) {
            node.put("gap_from", unfilledGap.since().toString());
            node.put("gap_until", unfilledGap.until().toString());
        }
        try {
            StateFile.write(file, node);
        } catch (IOException e) {
            warnings.accept("scrape state cannot be written to " + file + " (" + e.getMessage() + "): a gap before"
                    + " the next scrape will not be filled");
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
