/**
 * Classifies failed runs as infrastructure flakes from their artifacts (GCS JSON API, else gcsweb listings), with a
 * cache of verdicts between scrapes, a deadline for all lookups and retries per request.
 */
package dev.prowctl.scraper.flake;
