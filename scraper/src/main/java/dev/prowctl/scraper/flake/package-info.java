/**
 * Classifies failed runs as infrastructure flakes from their artifacts (GCS JSON API, else gcsweb listings), with a
 * cache of definitive verdicts between scrapes, a deadline for all lookups and retries per request. A run it cannot
 * tell is never called a flake: it is left out for a bounded time, then emitted as an undecided failure.
 */
package dev.prowctl.scraper.flake;
