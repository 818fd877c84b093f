/**
 * Writes line protocol to InfluxDB 1.x ({@code /write}) and 2.x/3.x ({@code /api/v2/write}) in gzip-compressed
 * batches, reporting the lines InfluxDB rejects one by one.
 */
package dev.prowctl.scraper.influx;
