/**
 * A fake Grafana for the tests of grafana-tool and the CLI, and for the Grafana benchmark: an in-memory Grafana that
 * behaves like one of the supported release lines, with all its traffic checked against Grafana's published OpenAPI
 * spec ({@link dev.prowctl.grafana.fake.SpecContract}). Start one with {@link dev.prowctl.grafana.fake.Fakes}.
 */
package dev.prowctl.grafana.fake;
