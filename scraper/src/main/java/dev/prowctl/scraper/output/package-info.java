/**
 * The output formats of a scrape, one {@link dev.prowctl.scraper.output.RunEncoder} each: InfluxDB line protocol,
 * JSON lines and text for humans. Printing and writing to InfluxDB use the same encoders.
 */
package dev.prowctl.scraper.output;
