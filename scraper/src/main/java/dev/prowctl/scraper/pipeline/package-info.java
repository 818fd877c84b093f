/**
 * The scrape pipeline as a library: ProwJobs from a {@link dev.prowctl.scraper.prow.ProwJobSource} (deck or a saved
 * payload) are filtered, turned into finished runs, classified, and handed to a {@link
 * dev.prowctl.scraper.pipeline.RunSink} (printed through an encoder, or written to InfluxDB). {@code prowctl
 * scrape} is one caller; a long-running exporter or a backfill can call {@link
 * dev.prowctl.scraper.pipeline.ScrapePipeline#run} again and again.
 */
package dev.prowctl.scraper.pipeline;
