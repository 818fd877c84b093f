/**
 * The output formats of a scrape, one {@link dev.prowctl.scraper.output.RunEncoder} each: InfluxDB line protocol,
 * JSON lines, text for humans, and OpenMetrics (a timestamped history for Prometheus' backfill). Printing and
 * writing to InfluxDB use the same encoders.
 */
package dev.prowctl.scraper.output;
