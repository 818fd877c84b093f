package dev.prowctl.scraper.pipeline;

import java.io.IOException;
import java.util.List;

import dev.prowctl.scraper.flake.RunClassifier;
import dev.prowctl.scraper.prow.JobFilter;
import dev.prowctl.scraper.prow.ProwJobReader;
import dev.prowctl.scraper.prow.ProwJobSource;
import dev.prowctl.scraper.prow.ProwRun;
import dev.prowctl.scraper.prow.RunCollector;
import dev.prowctl.scraper.prow.RunDeriver;
import dev.prowctl.scraper.pipeline.ScrapeListener.Stage;

/**
 * One scrape: read the ProwJobs of a source, filter them like deck, derive the finished runs, classify them, and
 * hand them to a sink. The sink gets nothing before the whole payload was read and every run derived and
 * classified, so a failed read never leaves a partial output.
 *
 * <p>The pipeline holds only immutable collaborators: {@link #run} can be called again and again (an exporter that
 * scrapes every minute), with the same or other sources and sinks.
 */
public final class ScrapePipeline {

    private final JobFilter filter;
    private final RunDeriver deriver;
    private final RunClassifier classifier;
    private final ScrapeListener listener;

    /**
     * @param filter     which ProwJobs to keep (deck's page filters)
     * @param deriver    turns a finished ProwJob into a run (links point to its deck and gcsweb)
     * @param classifier decides which failed runs were infrastructure flakes ({@link RunClassifier#NONE}: none)
     * @param listener   progress and what was read, for the caller to show
     */
    public ScrapePipeline(JobFilter filter, RunDeriver deriver, RunClassifier classifier, ScrapeListener listener) {
        this.filter = filter;
        this.deriver = deriver;
        this.classifier = classifier;
        this.listener = listener;
    }

    /**
     * Runs one scrape from {@code source} into {@code sink}.
     *
     * @throws IOException what the source or the sink threw: a {@link ScrapeException} when a server cannot be
     *                     reached or a file read, a {@code PayloadException} for a malformed payload, the deck's and
     *                     InfluxDB's own exceptions for their error answers
     */
    public ScrapeResult run(ProwJobSource source, RunSink sink) throws IOException {
        RunCollector collector = new RunCollector(filter, deriver);
        ProwJobReader.Summary summary;
        try {
            // the collector itself, not a lambda around it: a file source reads big files in halves for it
            summary = source.read(collector, (done, total) -> listener.progress(Stage.READING, done >> 20,
                    total > 0 ? Math.max(1, total >> 20) : -1));
        } finally {
            listener.stageFinished(Stage.READING);
        }
        ScrapeCounts counts = counts(summary, collector);
        listener.read(counts);

        List<ProwRun> runs;
        try {
            runs = classifier.classify(collector.runs());
        } finally {
            listener.stageFinished(Stage.CLASSIFYING);
        }
        RunSink.Outcome delivered;
        try {
            delivered = sink.accept(runs, (done, total) -> listener.progress(Stage.WRITING, done, total));
        } finally {
            listener.stageFinished(Stage.WRITING);
        }
        return new ScrapeResult(counts, runs.size(), delivered);
    }

    private static ScrapeCounts counts(ProwJobReader.Summary summary, RunCollector collector) {
        String first = summary.firstProblem() != null ? summary.firstProblem() : collector.firstProblem();
        return new ScrapeCounts(summary.items(), collector.matched(), summary.skipped() + collector.unusable(),
                first, collector.runs().size(), collector.unfinished(), collector.overrides());
    }
}
