package dev.prowctl.scraper.pipeline;

/**
 * The outcome of one {@link ScrapePipeline#run}.
 *
 * @param counts    what the payload held
 * @param emitted   runs handed to the sink (finished runs minus those the classifier deferred to a later scrape)
 * @param delivered what the sink did with them
 */
public record ScrapeResult(ScrapeCounts counts, int emitted, RunSink.Outcome delivered) {
}
