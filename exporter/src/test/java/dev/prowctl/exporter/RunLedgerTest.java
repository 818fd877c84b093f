package dev.prowctl.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.prowctl.scraper.prow.ProwRun;

class RunLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    private static ProwRun run(String name, String job, String state, Instant end) {
        return new ProwRun(name, name, job, ProwRun.JobType.PERIODIC, false, state, end.minusSeconds(60), end,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static long streak(RunLedger ledger, String job) {
        return ledger.snapshot().jobs().stream().filter(j -> j.job().equals(job))
                .mapToLong(j -> j.olderFailures() + j.failureEnds().size()).sum();
    }

    @Test
    void aLateSuccessCutsTheFailuresBeforeItAndALateFailureBeforeTheNewestSuccessCountsNothing() {
        RunLedger ledger = new RunLedger();
        ledger.count(List.of(run("f1", "j", "failure", T0.plusSeconds(10)), run("f3", "j", "failure",
                T0.plusSeconds(30))), T0);
        assertThat(streak(ledger, "j")).isEqualTo(2);
        ledger.count(List.of(run("s2", "j", "success", T0.plusSeconds(20))), T0); // decided late, between them
        assertThat(streak(ledger, "j")).isEqualTo(1);
        ledger.count(List.of(run("f0", "j", "failure", T0.plusSeconds(5))), T0); // older than the success
        assertThat(streak(ledger, "j")).isEqualTo(1);
        ledger.count(List.of(run("e4", "j", "error", T0.plusSeconds(40)), run("a5", "j", "aborted",
                T0.plusSeconds(50)), run("k6", "j", ProwRun.FLAKE, T0.plusSeconds(60))), T0);
        assertThat(streak(ledger, "j")).as("error counts; abort and flake neither count nor reset").isEqualTo(2);
    }

    @Test
    void aLongStreakIsCountedExactlyWithABoundedMemory() {
        RunLedger ledger = new RunLedger();
        List<ProwRun> runs = new ArrayList<>();
        for (int i = 0; i < FailureStreak.KEPT * 3; i++) {
            runs.add(run("f" + i, "j", "failure", T0.plusSeconds(i)));
        }
        ledger.count(runs, T0);
        assertThat(streak(ledger, "j")).isEqualTo(FailureStreak.KEPT * 3L);
        assertThat(ledger.snapshot().jobs().get(0).failureEnds()).hasSize(FailureStreak.KEPT);
    }

    @Test
    void forgetsOnlyRunsDeckNoLongerListsThatEndedBeforeTheRetention() {
        RunLedger ledger = new RunLedger();
        ProwRun old = run("old", "j", "success", T0);
        ProwRun recent = run("recent", "j", "success", T0.plus(Duration.ofHours(47)));
        ledger.count(List.of(old, recent), T0);
        Instant later = T0.plus(RunLedger.RETENTION).plusSeconds(1);
        assertThat(ledger.count(List.of(old), later)).isZero();
        assertThat(ledger.remembered()).as("old is still listed, recent is within the retention").isEqualTo(2);
        ledger.count(List.of(), later);
        assertThat(ledger.remembered()).isEqualTo(1);
        assertThat(ledger.count(List.of(recent), later)).isZero();
        assertThat(ledger.snapshot().runs()).filteredOn(r -> r.state().equals("success")).singleElement()
                .satisfies(r -> assertThat(r.count()).isEqualTo(2));
    }

    private static Map<String, Long> byState(RunLedger ledger, String job) {
        Map<String, Long> counts = new TreeMap<>();
        ledger.snapshot().runs().stream().filter(r -> r.labels().job().equals(job))
                .forEach(r -> counts.merge(r.state(), r.count(), Long::sum));
        return counts;
    }

    @Test
    void aNewJobIsIntroducedAtZeroAndItsRunsCountedByTheNextScrape() {
        RunLedger ledger = new RunLedger();
        assertThat(ledger.count(List.of(run("a1", "known", "success", T0)), T0)).as("the baseline").isOne();
        ledger.scrapeSucceeded(T0);
        assertThat(byState(ledger, "known")).containsExactlyInAnyOrderEntriesOf(Map.of("success", 1L,
                "failure", 0L, ProwRun.FLAKE, 0L, "aborted", 0L, "error", 0L));

        ProwRun first = run("n1", "new", "failure", T0.plusSeconds(10));
        ProwRun second = run("n2", "new", "failure", T0.plusSeconds(20));
        assertThat(ledger.count(List.of(run("a1", "known", "success", T0), run("a2", "known", "failure",
                T0.plusSeconds(5)), first, second), T0)).as("a known job's run counts at once").isOne();
        assertThat(byState(ledger, "new")).as("every state of the new job at 0 first")
                .containsExactlyInAnyOrderEntriesOf(Map.of("success", 0L, "failure", 0L, ProwRun.FLAKE, 0L,
                        "aborted", 0L, "error", 0L));
        assertThat(ledger.snapshot().durations()).filteredOn(h -> h.labels().job().equals("new")).singleElement()
                .satisfies(h -> assertThat(h.count()).isZero());
        assertThat(ledger.held()).isEqualTo(2);
        assertThat(ledger.snapshot().jobs()).noneMatch(j -> j.job().equals("new"));

        // counted by the next scrape even when deck no longer lists one of them, and only once
        assertThat(ledger.count(List.of(second), T0)).isEqualTo(2);
        assertThat(ledger.count(List.of(first, second), T0)).isZero();
        assertThat(ledger.held()).isZero();
        assertThat(byState(ledger, "new")).containsEntry("failure", 2L).containsEntry("success", 0L);
        assertThat(streak(ledger, "new")).isEqualTo(2);
    }

    @Test
    void aStateOfAnOlderExporterGetsItsZeroSeries() {
        RunLedger ledger = new RunLedger();
        ledger.count(List.of(run("a", "j", "failure", T0)), T0);
        LedgerState full = ledger.snapshot();
        LedgerState old = new LedgerState(full.format(), full.version(), full.lastSuccessMillis(),
                full.runs().stream().filter(r -> r.count() > 0).toList(), full.durations(), full.jobs(),
                full.counted());
        RunLedger restored = new RunLedger();
        restored.restore(old);
        assertThat(byState(restored, "j")).hasSize(RunLedger.STATES.size()).containsEntry("failure", 1L);
    }

    @Test
    void aRestoredLedgerIsTheSameLedger() {
        RunLedger ledger = new RunLedger();
        ledger.count(List.of(run("a", "j", "failure", T0), run("b", "k", "success", T0.plusSeconds(9000))), T0);
        ledger.scrapeSucceeded(T0);
        RunLedger restored = new RunLedger();
        restored.restore(ledger.snapshot());
        assertThat(restored.snapshot()).usingRecursiveComparison().isEqualTo(ledger.snapshot());
        assertThat(restored.count(List.of(run("a", "j", "failure", T0)), T0)).isZero();
    }
}
