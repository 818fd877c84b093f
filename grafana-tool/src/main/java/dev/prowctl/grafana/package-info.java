/** Grafana HTTP client and one handler per resource kind. */
package dev.prowctl.grafana;
