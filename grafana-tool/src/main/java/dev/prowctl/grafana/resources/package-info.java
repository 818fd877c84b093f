/**
 * One handler per Grafana resource kind ({@link dev.prowctl.grafana.resources.ResourceHandler}, described by a
 * {@link dev.prowctl.grafana.resources.KindDescriptor}), listed in import order by
 * {@link dev.prowctl.grafana.resources.ResourceKinds}, and the {@link dev.prowctl.grafana.resources.Exporter} and
 * {@link dev.prowctl.grafana.resources.Importer} that run them without knowing any kind by name.
 */
package dev.prowctl.grafana.resources;
