/**
 * {@code prowctl exporter}'s library: a long-running scrape loop over the scrape pipeline whose sink counts each
 * finished run once ({@link dev.prowctl.exporter.RunLedger}, persisted by {@link dev.prowctl.exporter.LedgerFile}),
 * the Prometheus metric families built from it with the official Java client ({@link
 * dev.prowctl.exporter.ExporterMetrics}), and the HTTP server for {@code /metrics}, {@code /healthz} and {@code
 * /readyz} ({@link dev.prowctl.exporter.MetricsServer}). No picocli here: the CLI wires it.
 */
package dev.prowctl.exporter;
