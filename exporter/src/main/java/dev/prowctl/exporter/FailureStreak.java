package dev.prowctl.exporter;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A job's trailing failures: the failed runs that ended after its newest success. Flakes and aborts neither count
 * nor reset. Runs may arrive out of order (a failure deferred by flake classification is decided a scrape later), so
 * the streak keeps the end times of its failures rather than a bare count: a late success in the middle cuts the
 * failures before it. Only the newest {@link #KEPT} end times are kept; older failures are a count.
 */
final class FailureStreak {

    /** End times kept; a streak longer than this is still counted exactly unless a late success lands inside it. */
    static final int KEPT = 100;

    private long lastSuccessMillis;
    private final TreeSet<Long> failureEnds = new TreeSet<>();
    private long olderFailures;

    FailureStreak() {
    }

    FailureStreak(long lastSuccessMillis, List<Long> failureEnds, long olderFailures) {
        this.lastSuccessMillis = lastSuccessMillis;
        this.failureEnds.addAll(failureEnds);
        this.olderFailures = olderFailures;
    }

    void success(long endMillis) {
        if (endMillis <= lastSuccessMillis) {
            return;
        }
        lastSuccessMillis = endMillis;
        if (failureEnds.isEmpty() || endMillis > failureEnds.first()) {
            olderFailures = 0; // the uncounted older failures ended before the kept ones, so before this success
        }
        failureEnds.headSet(endMillis, true).clear();
    }

    void failure(long endMillis) {
        if (endMillis <= lastSuccessMillis) {
            return;
        }
        failureEnds.add(endMillis);
        if (failureEnds.size() > KEPT) {
            failureEnds.pollFirst();
            olderFailures++;
        }
    }

    long count() {
        return olderFailures + failureEnds.size();
    }

    long lastSuccessMillis() {
        return lastSuccessMillis;
    }

    List<Long> failureEnds() {
        return new ArrayList<>(failureEnds);
    }

    long olderFailures() {
        return olderFailures;
    }
}
