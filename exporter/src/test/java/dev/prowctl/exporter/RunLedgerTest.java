package dev.prowctl.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        assertThat(ledger.snapshot().runs()).singleElement()
                .satisfies(r -> assertThat(r.count()).isEqualTo(2));
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
