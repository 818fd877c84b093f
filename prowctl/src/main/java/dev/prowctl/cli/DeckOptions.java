package dev.prowctl.cli;

import java.nio.file.Path;
import java.time.Duration;

import dev.prowctl.scraper.pipeline.ScrapeSources;
import dev.prowctl.scraper.prow.DeckClient;
import dev.prowctl.scraper.prow.DeckUrl;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.RunDeriver;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the runs come from, shared by {@code scrape} and {@code exporter}: the deck (or a saved payload), its
 * filters, the artifacts link prefix and how long deck may be silent.
 */
public final class DeckOptions {

    private static final int DECK_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = DeckUrl.DEFAULT,
            description = "A deck page URL as copied from the browser, with its filters (default: ${DEFAULT-VALUE}).")
    String url;

    @Mixin
    JobFilterOptions filters;

    @Option(names = "--prowjobs-file", paramLabel = "FILE",
            description = "Read a saved prowjobs.js payload (JSON or var form, optionally gzip; a pipe such as "
                    + "/dev/stdin works too) instead of deck; the filters still apply, and links use the --url deck.")
    Path prowjobsFile;

    @Option(names = "--gcsweb-url", paramLabel = "PREFIX", defaultValue = RunDeriver.DEFAULT_GCSWEB,
            description = "Prefix of artifacts links (default: ${DEFAULT-VALUE}). Empty when the deck's gcsweb is "
                    + "unknown: runs get no artifacts link and flake lookups find it on each run's spyglass page.")
    String gcswebUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest silence allowed from deck (and InfluxDB with --influx-url), e.g. 30s, 2m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The deck of {@code --url}; a usage error when it is not one. */
    DeckUrl deck() {
        try {
            return DeckUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
        }
    }

    /** Deck's own page filters, overridden by the filter options given. */
    JobFilter filter(DeckUrl deck) {
        return deck.filter().overriddenBy(filters.filter());
    }

    /** The saved payload of {@code --prowjobs-file}, else deck through the one HTTP client. */
    ProwJobSource source(DeckUrl deck, OkHttpClient http) {
        return prowjobsFile != null ? ScrapeSources.file(prowjobsFile) : ScrapeSources.deck(
                new DeckClient(http, deck, timeout, DECK_ATTEMPTS, FIRST_BACKOFF), deck, timeout);
    }

    /** True when a saved payload is read instead of deck. */
    boolean fromFile() {
        return prowjobsFile != null;
    }

    /** What is read, for messages: the payload file or deck's prowjobs.js URL. */
    String describeSource(DeckUrl deck) {
        return prowjobsFile != null ? prowjobsFile.toString() : deck.prowjobsUrl().toString();
    }

    RunDeriver deriver(DeckUrl deck) {
        return new RunDeriver(deck, gcswebUrl);
    }

    String gcswebUrl() {
        return gcswebUrl;
    }

    Duration timeout() {
        return timeout;
    }
}
