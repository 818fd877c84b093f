package dev.prowctl.scraper.flake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.prowctl.scraper.flake.FlakeRules.Verdict;

class FlakeCacheTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    @Test
    void savedVerdictsAreReadBackByTheNextScrape() throws IOException {
        FlakeCache cache = FlakeCache.open(dir, CLOCK, warnings::add);
        cache.put("b/logs/j/1", new Verdict(true, "no-build-log:e2e"), NOW.minusSeconds(60));
        cache.put("b/logs/j/2", new Verdict(false, "failed-step:e2e"), NOW.minusSeconds(60));
        cache.save();

        FlakeCache reopened = FlakeCache.open(dir, CLOCK, warnings::add);

        assertThat(reopened.get("b/logs/j/1")).contains(new Verdict(true, "no-build-log:e2e"));
        assertThat(reopened.get("b/logs/j/2")).contains(new Verdict(false, "failed-step:e2e"));
        assertThat(reopened.get("b/logs/j/3")).isEmpty();
        assertThat(warnings).isEmpty();
        JsonNode file = new ObjectMapper().readTree(dir.resolve(FlakeCache.FILE_NAME).toFile());
        assertThat(file.path("format").asText()).isEqualTo(FlakeCache.FORMAT);
        assertThat(file.path("version").asInt()).isEqualTo(FlakeCache.VERSION);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactlyInAnyOrder(
                    dir.resolve(FlakeCache.FILE_NAME), dir.resolve(FlakeCache.FILE_NAME + ".lock"));
        }
    }

    @Test
    void scrapesSavingAtTheSameTimeKeepEachOthersEntries() throws Exception {
        int scrapes = 8;
        List<FlakeCache> caches = new java.util.ArrayList<>();
        for (int i = 0; i < scrapes; i++) {
            FlakeCache cache = FlakeCache.open(dir, CLOCK, warnings::add);
            cache.put("b/logs/j/" + i, new Verdict(i % 2 == 0, "no-build-log:e2e"), NOW.minusSeconds(60));
            caches.add(cache);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(scrapes);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> saves = new java.util.ArrayList<>();
            for (FlakeCache cache : caches) {
                saves.add(pool.submit(() -> {
                    start.await();
                    cache.save();
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> save : saves) {
                save.get();
            }
        } finally {
            pool.shutdownNow();
        }
        FlakeCache reopened = FlakeCache.open(dir, CLOCK, warnings::add);
        for (int i = 0; i < scrapes; i++) {
            assertThat(reopened.get("b/logs/j/" + i)).as("entry of scrape " + i).isPresent();
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aMissingStateDirectoryIsCreatedOnSave() throws IOException {
        Path nested = dir.resolve("cache/prowctl");
        FlakeCache cache = FlakeCache.open(nested, CLOCK, warnings::add);
        cache.put("k", new Verdict(true, "r"), NOW);
        cache.save();

        assertThat(nested.resolve(FlakeCache.FILE_NAME)).exists();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aCorruptFileGivesOneWarningAndIsRebuilt() throws IOException {
        Path file = dir.resolve(FlakeCache.FILE_NAME);
        Files.writeString(file, "{\"format\":\"prowctl-flake-cache\",\"version\":1,\"entries\":{\"b/l");

        FlakeCache cache = FlakeCache.open(dir, CLOCK, warnings::add);

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(file.toString()).contains("not JSON").contains("starting a new one");
        assertThat(cache.size()).isZero();
        cache.put("k", new Verdict(false, "build-log:e2e"), NOW);
        cache.save();
        assertThat(FlakeCache.open(dir, CLOCK, warnings::add).get("k")).isPresent();
        assertThat(warnings).hasSize(1);
    }

    @Test
    void aForeignOrNewerFileIsNotTrusted() throws IOException {
        Path file = dir.resolve(FlakeCache.FILE_NAME);
        Files.writeString(file, "{\"runs\":[1,2,3]}");
        FlakeCache.open(dir, CLOCK, warnings::add);
        Files.writeString(file, "{\"format\":\"prowctl-flake-cache\",\"version\":2,\"entries\":{}}");
        FlakeCache.open(dir, CLOCK, warnings::add);
        Files.writeString(file, "{\"format\":\"prowctl-flake-cache\",\"version\":1,\"entries\":{\"k\":{\"flake\":"
                + "\"yes\"}}}");
        FlakeCache.open(dir, CLOCK, warnings::add);

        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).contains("not a prowctl-flake-cache file");
        assertThat(warnings.get(1)).contains("version 2");
        assertThat(warnings.get(2)).contains("entry k");
    }

    @Test
    void entriesOlderThanTheRetentionArePruned() throws IOException {
        FlakeCache cache = FlakeCache.open(dir, Clock.fixed(NOW.minus(Duration.ofDays(30)), ZoneOffset.UTC),
                warnings::add);
        cache.put("fresh", new Verdict(true, "r"), NOW.minus(Duration.ofDays(13)));
        cache.put("old", new Verdict(true, "r"), NOW.minus(Duration.ofDays(15)));
        cache.save();

        FlakeCache later = FlakeCache.open(dir, CLOCK, warnings::add);

        assertThat(later.get("fresh")).isPresent();
        assertThat(later.get("old")).isEmpty();
        assertThat(later.size()).isEqualTo(1);
        later.save();
        assertThat(Files.readString(dir.resolve(FlakeCache.FILE_NAME))).doesNotContain("\"old\"");
    }

    @Test
    void aSaveKeepsWhatAnotherScrapeWroteMeanwhile() throws IOException {
        FlakeCache first = FlakeCache.open(dir, CLOCK, warnings::add);
        FlakeCache second = FlakeCache.open(dir, CLOCK, warnings::add);
        first.put("a", new Verdict(true, "r1"), NOW);
        first.save();
        second.put("b", new Verdict(false, "r2"), NOW);
        second.save();

        FlakeCache merged = FlakeCache.open(dir, CLOCK, warnings::add);
        assertThat(merged.get("a")).isPresent();
        assertThat(merged.get("b")).isPresent();
    }

    @Test
    void anInMemoryCacheNeverTouchesTheDisk() throws IOException {
        FlakeCache cache = FlakeCache.inMemory(CLOCK);
        cache.put("k", new Verdict(true, "r"), NOW);
        cache.save();
        assertThat(cache.file()).isNull();
        assertThat(cache.get("k")).isPresent();
    }

    @Test
    void whenARunWasFirstLeftUndecidedSurvivesScrapesAndEndsWithItsVerdict() throws IOException {
        Instant first = NOW.minus(Duration.ofHours(2));
        FlakeCache cache = FlakeCache.open(dir, CLOCK, warnings::add);
        assertThat(cache.deferredSince("b/logs/j/1", first, NOW.minusSeconds(60))).isEqualTo(first);
        cache.save();

        FlakeCache next = FlakeCache.open(dir, CLOCK, warnings::add);
        assertThat(next.deferredSince("b/logs/j/1", NOW, NOW.minusSeconds(60))).as("the first time, not now")
                .isEqualTo(first);
        assertThat(next.get("b/logs/j/1")).as("a deferral is no verdict").isEmpty();
        next.put("b/logs/j/1", new Verdict(false, "build-log:e2e"), NOW.minusSeconds(60));
        next.save();

        JsonNode file = new ObjectMapper().readTree(dir.resolve(FlakeCache.FILE_NAME).toFile());
        assertThat(file.path("deferred").size()).as("decided at last: no longer deferred").isZero();
        assertThat(file.path("entries").has("b/logs/j/1")).isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void scrapesSharingTheDirectoryKeepTheEarliestDeferral() throws IOException {
        FlakeCache early = FlakeCache.open(dir, CLOCK, warnings::add);
        FlakeCache late = FlakeCache.open(dir, CLOCK, warnings::add);
        early.deferredSince("k", NOW.minus(Duration.ofHours(5)), NOW);
        late.deferredSince("k", NOW, NOW);
        early.save();
        late.save();

        assertThat(FlakeCache.open(dir, CLOCK, warnings::add).deferredSince("k", NOW, NOW))
                .isEqualTo(NOW.minus(Duration.ofHours(5)));
    }

    @Test
    void droppingVerdictsEmptiesTheFileButKeepsDeferrals() throws IOException {
        FlakeCache cache = FlakeCache.open(dir, CLOCK, warnings::add);
        cache.put("a", new Verdict(true, "no-build-log:e2e"), NOW);
        cache.put("b", new Verdict(false, "build-log:e2e"), NOW);
        cache.deferredSince("c", NOW.minus(Duration.ofHours(1)), NOW);
        cache.save();

        FlakeCache refreshed = FlakeCache.open(dir, CLOCK, warnings::add);
        assertThat(refreshed.dropVerdicts()).isEqualTo(2);

        assertThat(refreshed.get("a")).isEmpty();
        FlakeCache reopened = FlakeCache.open(dir, CLOCK, warnings::add);
        assertThat(reopened.size()).as("a later save cannot merge the old verdicts back").isZero();
        refreshed.save();
        assertThat(FlakeCache.open(dir, CLOCK, warnings::add).size()).isZero();
        assertThat(reopened.deferredSince("c", NOW, NOW)).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void aFileWithoutDeferralsFromAnOlderProwctlIsRead() throws IOException {
        Files.writeString(dir.resolve(FlakeCache.FILE_NAME), "{\"format\":\"prowctl-flake-cache\",\"version\":1,"
                + "\"entries\":{\"k\":{\"flake\":true,\"reason\":\"no-build-log:e2e\",\"finished\":\"" + NOW + "\"}}}");

        FlakeCache cache = FlakeCache.open(dir, CLOCK, warnings::add);

        assertThat(cache.get("k")).contains(new Verdict(true, "no-build-log:e2e"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void refusedArtifactsCachedByAnOlderProwctlAreNoVerdict() throws IOException {
        Files.writeString(dir.resolve(FlakeCache.FILE_NAME), "{\"format\":\"prowctl-flake-cache\",\"version\":1,"
                + "\"entries\":{\"k\":{\"flake\":false,\"reason\":\"artifacts-unavailable:http-403\",\"finished\":\""
                + NOW + "\"},\"j\":{\"flake\":false,\"reason\":\"build-log:e2e\",\"finished\":\"" + NOW + "\"}}}");

        FlakeCache cache = FlakeCache.open(dir, CLOCK, warnings::add);

        assertThat(cache.get("k")).as("looked up again").isEmpty();
        assertThat(cache.get("j")).isPresent();
        cache.save();
        assertThat(Files.readString(dir.resolve(FlakeCache.FILE_NAME))).doesNotContain("artifacts-unavailable");
    }
}
