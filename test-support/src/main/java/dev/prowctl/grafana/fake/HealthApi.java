package dev.prowctl.grafana.fake;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.grafana.fake.Routes.Access;

/**
 * {@code /api/health} (no login; 503 with {@code {"database":"failing"}} when the database is down) and the
 * {@code buildInfo} of {@code /api/frontend/settings}. With {@code [auth.anonymous] hide_version = true} Grafana's
 * apiHealthHandler leaves out version and commit, and only a logged-in caller sees the version in the settings.
 */
final class HealthApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private String version;
    private boolean hideVersion;
    private int status = 200;

    HealthApi(String version) {
        this.version = version;
    }

    void version(String version) {
        this.version = version;
    }

    void hideVersion() {
        hideVersion = true;
    }

    void status(int status) {
        this.status = status;
    }

    void register(Routes routes) {
        routes.add("GET", "/api/health", Routes.ALL, Access.NONE, c -> health());
        routes.add("GET", "/api/frontend/settings", Routes.ALL, Access.READ, c -> Reply.ok(F.objectNode()
                .set("buildInfo", F.objectNode().put("version", version).put("commit", "abc1234")
                        .put("edition", "Open Source"))));
    }

    private Reply health() {
        if (status != 200) {
            return new Reply(status, status == 503 ? F.objectNode().put("database", "failing") : null);
        }
        ObjectNode body = F.objectNode().put("database", "ok");
        if (!hideVersion) {
            body.put("commit", "abc1234").put("version", version);
        }
        return Reply.ok(body);
    }
}
