package dev.prowctl.scraper.pipeline;

import java.io.IOException;
import java.util.List;

import dev.prowctl.http.ProgressListener;
import dev.prowctl.scraper.prow.ProwRun;

/**
 * Where the runs of one scrape go: printed through an encoder ({@link PrintSink}) or written to InfluxDB
 * ({@link InfluxSink}).
 */
public interface RunSink {

    /** A run the destination would not store, as it was sent, and the destination's reason. */
    record Rejection(String item, String reason) {
    }

    /** Runs sent, and the ones the destination rejected (the others were stored). */
    record Outcome(int sent, List<Rejection> rejected) {
        public Outcome {
            rejected = List.copyOf(rejected);
        }

        public int written() {
            return sent - rejected.size();
        }
    }

    /** Takes every run, in the order given. A failure that concerns all runs is thrown; single runs are rejected. */
    Outcome accept(List<ProwRun> runs, ProgressListener progress) throws IOException;
}
