package dev.prowctl.scraper.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.http.Deadline;
import dev.prowctl.http.TimeSource;
import dev.prowctl.scraper.flake.FakeArtifactsServer;
import dev.prowctl.scraper.output.JsonLines;
import dev.prowctl.scraper.pipeline.PrintSink;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwRun.JobType;

/** {@link GapState} and {@link GapFiller}: which window a scrape fills, and what a deadline leaves for the next. */
class GapFillerTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(20);
    private static final JobFilter ALL = new JobFilter("*", null, null, null, null, null, null);

    private final FakeArtifactsServer server = new FakeArtifactsServer();
    private final ProwHistory history = new ProwHistory(server);
    private final BackfillHarness harness = new BackfillHarness(server);

    @TempDir
    Path stateDir;

    @AfterEach
    void stop() {
        server.close();
    }

    private GapState state(List<String> warnings) {
        return GapState.open(stateDir, "deck job=*", warnings::add);
    }

    @Test
    void noGapOnTheFirstScrapeNorAfterAShortPause() {
        List<String> warnings = new ArrayList<>();
        assertThat(state(warnings).pending(NOW, WINDOW)).isEmpty();
        state(warnings).saved(NOW.minus(Duration.ofHours(19)), null);
        assertThat(state(warnings).pending(NOW, WINDOW)).isEmpty();
        assertThat(state(warnings).lastScrape()).contains(NOW.minus(Duration.ofHours(19)));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aGapLongerThanDecksWindowIsTheWindowShiftedBackByIt() {
        state(new ArrayList<>()).saved(NOW.minus(Duration.ofDays(3)), null);
        assertThat(state(new ArrayList<>()).pending(NOW, WINDOW)).contains(new GapState.Window(
                NOW.minus(Duration.ofDays(3)).minus(WINDOW), NOW.minus(WINDOW)));
    }

    @Test
    void anUnreadableStateIsAWarningAndNoGap() throws Exception {
        state(new ArrayList<>()).saved(NOW.minus(Duration.ofDays(3)), null);
        try (Stream<Path> files = Files.list(stateDir.resolve("backfill"))) {
            Files.writeString(files.findFirst().orElseThrow(), "{\"format\": \"prowctl-scrape-gap\", \"ver");
        }
        List<String> warnings = new ArrayList<>();
        assertThat(state(warnings).pending(NOW, WINDOW)).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("scrape state ").contains("is unusable");
    }

    @Test
    void whatTheDeadlineLeavesIsFilledByTheNextScrapeWithoutReadingAgainWhatWasEmitted() throws Exception {
        Instant outage = NOW.minus(Duration.ofDays(3));
        List<ObjectNode> runs = history.runs("periodic-ci-oadp-e2e", JobType.PERIODIC, outage.minus(Duration.ofDays(1)),
                NOW.minus(Duration.ofHours(1)), Duration.ofMinutes(20), 0);
        List<ObjectNode> deck = runs.subList(runs.size() - 3, runs.size());
        state(new ArrayList<>()).saved(outage, null);
        harness.batchSize = 50;
        Path checkpoints = stateDir.resolve("checkpoints");

        // a scrape whose deadline passes after the first batch
        GapFiller first = new GapFiller(state(new ArrayList<>()), WINDOW, ALL, NOW);
        first.source(BackfillHarness.source(ProwHistory.payload(deck))).read(pj -> { }, (d, t) -> { });
        // the scrape's clock: each batch delivered takes two seconds, the deadline is one second away
        long[] nanos = {0};
        TimeSource clock = new TimeSource() {
            @Override
            public long nanoTime() {
                return nanos[0];
            }

            @Override
            public Instant now() {
                return NOW;
            }
        };
        Deadline stopBy = Deadline.after(Duration.ofSeconds(1), clock);
        StringWriter out = new StringWriter();
        PrintSink print = new PrintSink(out, new JsonLines());
        GapFiller.Outcome cut = first.fill(harness.backfill(ALL, Checkpoints.open(checkpoints, "gap", w -> { }),
                BackfillListener.NONE), (batch, progress) -> {
                    nanos[0] += 2_000_000_000L;
                    return print.accept(batch, progress);
                }, stopBy);
        assertThat(cut.leftOpen()).isTrue();
        assertThat(cut.result().emitted()).isEqualTo(50);
        assertThat(cut.result().notReached()).isPositive();

        // the next scrape, half an hour later: no new gap, the rest of the old one
        GapFiller next = new GapFiller(state(new ArrayList<>()), WINDOW, ALL, NOW.plus(Duration.ofMinutes(30)));
        assertThat(next.window()).contains(cut.window());
        next.source(BackfillHarness.source(ProwHistory.payload(deck))).read(pj -> { }, (d, t) -> { });
        GapFiller.Outcome rest = next.fill(harness.backfill(ALL, Checkpoints.open(checkpoints, "gap", w -> { }),
                BackfillListener.NONE), print, Deadline.NONE);
        assertThat(rest.leftOpen()).isFalse();
        assertThat(rest.result().skippedDone()).isEqualTo(50);
        assertThat(new GapFiller(state(new ArrayList<>()), WINDOW, ALL, NOW.plus(Duration.ofMinutes(60))).window())
                .isEmpty();
        List<ObjectNode> inGap = runs.stream().filter(pj -> {
            Instant start = Instant.parse(pj.path("status").path("startTime").asText());
            return !start.isBefore(cut.window().since()) && start.isBefore(cut.window().until());
        }).toList();
        assertThat(out.toString().lines().toList()).containsExactlyInAnyOrderElementsOf(harness.scrape(inGap, ALL));
    }
}
