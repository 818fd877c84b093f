package dev.prowctl.scraper.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.zip.ZipException;

import dev.prowctl.scraper.prow.DeckException;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.PayloadException;
import dev.prowctl.scraper.prow.ProwJobSource;

/**
 * The sources a scrape reads, with failures that name what failed: a deck that cannot be reached or times out and a
 * file that cannot be read become {@link ScrapeException}s, a file that is not gzip a {@link PayloadException}.
 * Deck's HTTP errors ({@link DeckException}) and malformed payloads already say which deck or file they concern.
 * A deck that cannot be reached also says how to scrape without it (a saved payload).
 */
public final class ScrapeSources {

    private ScrapeSources() {
    }

    /**
     * A deck reached through {@code client} (a {@code DeckClient} for {@code deck} with {@code timeout}).
     */
    public static ProwJobSource deck(ProwJobSource client, DeckUrl deck, Duration timeout) {
        return (sink, progress) -> {
            try {
                return client.read(sink, progress);
            } catch (DeckException | PayloadException e) {
                throw e;
            } catch (InterruptedIOException e) {
                throw new ScrapeException(ScrapeException.Reason.UNREACHABLE, "deck " + deck.base()
                        + " timed out (nothing for " + describe(timeout) + ")" + offlineHint(deck), e);
            } catch (IOException e) {
                throw new ScrapeException(ScrapeException.Reason.UNREACHABLE, "could not reach deck " + deck.base()
                        + ": " + e.getMessage() + offlineHint(deck), e);
            }
        };
    }

    /** What to do without network: a user's first scrape may well be on a machine that cannot reach deck. */
    static String offlineHint(DeckUrl deck) {
        return "; to scrape a saved payload instead, use --prowjobs-file FILE (FILE saved from " + deck.prowjobsUrl()
                + ", or the sample examples/prowjobs.sample.json)";
    }

    /** A saved payload ({@link ProwJobSource#file}); a missing file stays a {@link NoSuchFileException}. */
    public static ProwJobSource file(Path file) {
        ProwJobSource source = ProwJobSource.file(file);
        return (sink, progress) -> {
            try {
                return source.read(sink, progress);
            } catch (PayloadException | NoSuchFileException e) {
                throw e;
            } catch (ZipException e) {
                throw new PayloadException(PayloadException.Problem.MALFORMED,
                        file + " is not valid gzip: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new ScrapeException(ScrapeException.Reason.UNREADABLE, "could not read " + file + ": "
                        + e.getMessage(), e);
            }
        };
    }

    /** {@code 60s}, {@code 1m30s}, {@code 0.2s}: as a duration is typed. */
    private static String describe(Duration timeout) {
        return timeout.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
