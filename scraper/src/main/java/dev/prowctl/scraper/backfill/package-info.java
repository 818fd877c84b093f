/**
 * {@code prowctl backfill}: finished runs older than deck's window, read from their records in GCS
 * ({@code prowjob.json}) and fed through the same {@link dev.prowctl.scraper.pipeline.ScrapePipeline} as a scrape,
 * so a backfilled run is exactly the record a scrape gives for it.
 */
package dev.prowctl.scraper.backfill;
