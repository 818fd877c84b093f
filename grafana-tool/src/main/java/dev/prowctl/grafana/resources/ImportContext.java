package dev.prowctl.grafana.resources;

import java.util.function.Consumer;

import dev.prowctl.grafana.GrafanaClient;

/**
 * What a handler needs while importing: the client, whether to write at all, where datasource secrets come from,
 * and where to say things (warnings go to the user's stderr).
 */
public record ImportContext(GrafanaClient client, boolean dryRun, Secrets secrets, Consumer<String> warnings) {
}
