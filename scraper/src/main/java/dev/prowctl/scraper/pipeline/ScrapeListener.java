package dev.prowctl.scraper.pipeline;

/**
 * What a {@link ScrapePipeline} tells its caller while it runs: progress per stage (for a progress bar) and, once the
 * payload is read and before anything is classified or emitted, what it held (for warnings). Every method is called
 * from the thread that runs the pipeline.
 */
public interface ScrapeListener {

    ScrapeListener NONE = new ScrapeListener() {
    };

    /** The stages that report progress, in pipeline order. */
    enum Stage {
        /** Reading the payload; counted in MiB. */
        READING,
        /** Classifying failed runs; the classifier reports its progress through its own listener. */
        CLASSIFYING,
        /** Delivering the runs to the sink; counted in runs (only sinks that take time report it). */
        WRITING
    }

    /** {@code done} of {@code total} in {@code stage}; {@code total} is below 1 when unknown. */
    default void progress(Stage stage, long done, long total) {
    }

    /** {@code stage} is over (also when it failed): a progress line can be cleared. */
    default void stageFinished(Stage stage) {
    }

    /** The payload was read and every matching finished ProwJob derived; classification comes next. */
    default void read(ScrapeCounts counts) {
    }
}
