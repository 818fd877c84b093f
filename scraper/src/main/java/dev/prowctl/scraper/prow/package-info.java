/**
 * Deck's {@code prowjobs.js}: the sources (deck over HTTP, a saved payload), the streaming reader, deck's page
 * filters, and the derivation of one {@link dev.prowctl.scraper.prow.ProwRun} per finished ProwJob.
 */
package dev.prowctl.scraper.prow;
