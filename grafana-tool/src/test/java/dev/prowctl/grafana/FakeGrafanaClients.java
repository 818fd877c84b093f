package dev.prowctl.grafana;

import java.util.ArrayList;
import java.util.List;

import okhttp3.OkHttpClient;

import dev.prowctl.grafana.fake.FakeGrafana;

/**
 * Clients of a fake Grafana. Here rather than beside the fake in test-support, which cannot depend on grafana-tool
 * (grafana-tool's tests depend on test-support).
 */
public final class FakeGrafanaClients {

    private static final OkHttpClient HTTP = new OkHttpClient();

    private FakeGrafanaClients() {
    }

    /** A client logged in with the fake's admin token; verbose lines go to {@code log} when given. */
    public static GrafanaClient of(FakeGrafana fake, List<String> log) {
        return new GrafanaClient(HTTP, GrafanaSettings.of(fake.url().toString(), FakeGrafana.ADMIN_TOKEN, null, null),
                log == null ? s -> { } : log::add);
    }

    public static GrafanaClient of(FakeGrafana fake) {
        return of(fake, new ArrayList<>());
    }
}
