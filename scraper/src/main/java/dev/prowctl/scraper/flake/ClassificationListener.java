package dev.prowctl.scraper.flake;

/**
 * What the classifier tells its caller while it works. The CLI connects {@link #progress} to its stderr progress
 * bar (terminal only) and {@link #warning} to stderr; every method is called from the classifying thread.
 */
@FunctionalInterface
public interface ClassificationListener {

    ClassificationListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} lookups are over (total excludes runs answered from the cache). */
    void progress(int done, int total);

    /** A one-line warning for stderr: unusable cache, runs deferred to the next scrape. */
    default void warning(String message) {
    }

    /** Called once at the end of each {@code classify}. */
    default void finished(ClassificationSummary summary) {
    }
}
