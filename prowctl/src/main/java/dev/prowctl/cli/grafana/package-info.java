/**
 * {@code prowctl grafana}: create-key, export, import and alerts over the Grafana client of {@code grafana-tool};
 * {@link dev.prowctl.cli.grafana.GrafanaConnection} holds the URL and credentials every one of them takes.
 */
package dev.prowctl.cli.grafana;
