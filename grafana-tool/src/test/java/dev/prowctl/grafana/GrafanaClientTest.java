package dev.prowctl.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import dev.prowctl.http.Retry;
import dev.prowctl.http.TimeSource;

import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.testing.TestEnv;

class GrafanaClientTest {

    private static final OkHttpClient HTTP = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void versionIsDetectedOnceAndItsBuildSuffixIgnored() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V12)) {
            List<String> log = new ArrayList<>();
            GrafanaClient client = FakeGrafanaClients.of(fake, log);
            assertThat(client.version()).isEqualTo(new GrafanaVersion(12, 2, 1, "12.2.1-16426244399"));
            client.version();
            assertThat(fake.requests()).filteredOn(r -> r.path().equals("/api/health")).hasSize(1);
            assertThat(log).anySatisfy(l -> assertThat(l).contains("Grafana 12.2.1").contains("unified alerting")
                    .contains("service accounts").contains("a token"));
            assertThat(String.join("\n", log)).doesNotContain(FakeGrafana.ADMIN_TOKEN);
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void versionSwitches() {
        GrafanaVersion v8 = GrafanaVersion.parse("8.4.6");
        assertThat(v8.hasServiceAccounts()).isFalse();
        assertThat(v8.hasLegacyAlerting()).isTrue();
        assertThat(v8.hasNestedFolders()).isFalse();
        GrafanaVersion v11 = GrafanaVersion.parse("11.6.3");
        assertThat(v11.hasLegacyApiKeyCreation()).isFalse();
        assertThat(v11.hasLegacyAlerting()).isFalse();
        assertThat(GrafanaVersion.parse("11.2.0").hasLegacyApiKeyCreation()).isTrue();
        assertThat(GrafanaVersion.parse("v13.0.0-pre").major()).isEqualTo(13);
        assertThatThrownBy(() -> GrafanaVersion.parse("latest")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worksUnderASubPathGivenWithOrWithoutTrailingSlash() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13, "/grafana/", Duration.ZERO)) {
            String url = fake.url().toString();
            String noSlash = url.substring(0, url.length() - 1);
            GrafanaClient client = new GrafanaClient(HTTP,
                    GrafanaSettings.of(noSlash, FakeGrafana.ADMIN_TOKEN, null, null), s -> { });
            assertThat(client.version().major()).isEqualTo(13);
            assertThat(client.get(client.api("folders").build()).isArray()).isTrue();
            assertThat(fake.requests()).allSatisfy(r -> assertThat(r.path()).startsWith("/api/"));
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void userinfoInTheUrlBecomesBasicAuthAndLeavesTheUrl() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V11_6)) {
            String url = fake.url().toString().replace("http://", "http://admin:admin@");
            GrafanaSettings settings = GrafanaSettings.of(url, null, null, null);
            assertThat(settings.credentials()).isEqualTo(new Credentials.Basic("admin", "admin"));
            assertThat(settings.displayUrl()).doesNotContain("admin");
            assertThat(settings.credentials().toString()).doesNotContain("admin, admin");
            GrafanaClient client = new GrafanaClient(HTTP, settings, s -> { });
            assertThat(client.get(client.api("datasources").build()).isArray()).isTrue();
            assertThat(fake.requests()).filteredOn(r -> r.path().equals("/api/datasources"))
                    .extracting(FakeGrafana.Seen::auth).containsOnly("basic");
        }
    }

    @Test
    void urlWithoutSchemeMeansHttpAndAnythingElseIsRejected() {
        assertThat(GrafanaSettings.of("localhost:3000", null, null, null).displayUrl())
                .isEqualTo("http://localhost:3000/");
        assertThat(GrafanaSettings.of("https://host/grafana", null, null, null).displayUrl())
                .isEqualTo("https://host/grafana/");
        assertThatThrownBy(() -> GrafanaSettings.of("ftp://admin:pw@host/", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw");
    }

    @Test
    void wrongTokenIsAnAuthErrorNamingTheCredentialKindButNotItsValue() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            GrafanaClient client = new GrafanaClient(HTTP,
                    GrafanaSettings.of(fake.url().toString(), "glsa_wrong_secret", null, null), s -> { });
            assertThatThrownBy(() -> client.get(client.api("search").build()))
                    .isInstanceOfSatisfying(GrafanaException.class, e -> {
                        assertThat(e.problem()).isEqualTo(GrafanaException.Problem.AUTH);
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("a token").contains("invalid API key")
                                .doesNotContain("glsa_wrong_secret");
                    });
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void missingPermissionSaysWhichOne() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            GrafanaClient client = new GrafanaClient(HTTP,
                    GrafanaSettings.of(fake.url().toString(), FakeGrafana.VIEWER_TOKEN, null, null), s -> { });
            assertThatThrownBy(() -> client.post(client.api("datasources").build(),
                    Json.object().put("name", "x").put("type", "influxdb").put("access", "proxy")))
                    .isInstanceOfSatisfying(GrafanaException.class, e -> {
                        assertThat(e.problem()).isEqualTo(GrafanaException.Problem.AUTH);
                        assertThat(e.getMessage()).contains("403").contains("Permissions needed: datasources:create")
                                .contains("a token").doesNotContain(FakeGrafana.VIEWER_TOKEN);
                    });
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void preconditionFailedAndConflictExplainTheirMeaning() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addDashboard("d1", "Runs", "", null);
            GrafanaClient client = FakeGrafanaClients.of(fake);
            var stale = Json.object();
            stale.set("dashboard", Json.object().put("uid", "d1").put("title", "Runs").put("version", 0));
            assertThatThrownBy(() -> client.post(client.api("dashboards", "db").build(), stale))
                    .isInstanceOfSatisfying(GrafanaException.class, e -> {
                        assertThat(e.problem()).isEqualTo(GrafanaException.Problem.CONFLICT);
                        assertThat(e.getMessage()).contains("412").contains("version mismatch");
                    });
            fake.addFolder("f1", "Team", null);
            assertThatThrownBy(() -> client.post(client.api("folders").build(),
                    Json.object().put("uid", "f1").put("title", "Team")))
                    .isInstanceOfSatisfying(GrafanaException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.getMessage()).contains("already exists");
                    });
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void theSpecCheckCatchesARequestThatDoesNotConform() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            GrafanaClient client = FakeGrafanaClients.of(fake);
            client.send("POST", client.api("folders").build(),
                    Json.object().put("uid", "x").put("title", "X").put("parentUid", 7), false);
            assertThat(fake.violations()).singleElement().asString()
                    .contains("POST /api/folders").contains("parentUid").contains("integer");
        }
    }

    @Test
    void unreachableServerIsSaidInOneLine() {
        int port = TestEnv.freePort();
        GrafanaClient client = new GrafanaClient(HTTP,
                GrafanaSettings.of("http://127.0.0.1:" + port + "/", "tok", null, null), s -> { });
        assertThatThrownBy(client::version).isInstanceOfSatisfying(GrafanaException.class, e -> {
            assertThat(e.problem()).isEqualTo(GrafanaException.Problem.UNREACHABLE);
            assertThat(e.getMessage()).contains("cannot reach Grafana at http://127.0.0.1:" + port).doesNotContain("\n");
        });
    }

    @Test
    void readsAreRetriedOnTransientAnswersAndWritesAreSentOnce() throws Exception {
        try (MockWebServer grafana = new MockWebServer()) {
            grafana.start();
            List<Duration> waits = new ArrayList<>();
            GrafanaClient client = new GrafanaClient(HTTP, GrafanaSettings.of(grafana.url("/").toString(), "tok",
                    null, null), s -> { }, new Retry(3, Duration.ofMillis(250), Duration.ofSeconds(5),
                    TimeSource.system(), waits::add, new Random()));
            grafana.enqueue(new MockResponse.Builder().code(503).body("{}").build());
            grafana.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "2").build());
            grafana.enqueue(new MockResponse.Builder().code(200).body("[]").build());

            assertThat(client.get(client.api("folders").build()).isArray()).isTrue();
            assertThat(grafana.getRequestCount()).isEqualTo(3);
            assertThat(waits).hasSize(2).last().isEqualTo(Duration.ofSeconds(2));

            grafana.enqueue(new MockResponse.Builder().code(503).body("{\"message\":\"busy\"}").build());
            assertThatThrownBy(() -> client.post(client.api("folders").build(), Json.object().put("title", "T")))
                    .isInstanceOfSatisfying(GrafanaException.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(grafana.getRequestCount()).as("a write that may have been applied is not sent again")
                    .isEqualTo(4);
        }
    }

    @Test
    void wrongSubPathSaysThereIsNoGrafanaThere() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13, "/grafana/", Duration.ZERO)) {
            GrafanaClient client = new GrafanaClient(HTTP,
                    GrafanaSettings.of(fake.url().resolve("/other/").toString(), "tok", null, null), s -> { });
            assertThatThrownBy(client::version).isInstanceOfSatisfying(GrafanaException.class, e ->
                    assertThat(e.getMessage()).contains("no Grafana API at").contains("sub-path"));
        }
    }

    @Test
    void eachUidIsOneEncodedSegmentAndDotSegmentsAreRefused() {
        GrafanaClient client = new GrafanaClient(HTTP, GrafanaSettings.of("http://grafana.example/sub/", null, null,
                null), s -> { });
        assertThat(client.api("dashboards", "uid", "a/b?c#d%2e").build().encodedPath())
                .isEqualTo("/sub/api/dashboards/uid/a%2Fb%3Fc%23d%252e");
        for (String bad : List.of("", ".", "..")) {
            assertThatThrownBy(() -> client.api("folders", bad)).isInstanceOfSatisfying(GrafanaException.class,
                    e -> assertThat(e.problem()).isEqualTo(GrafanaException.Problem.BAD_INPUT))
                    .hasMessageContaining("invalid uid or name '" + bad + "'");
        }
    }

    @Test
    void canonicalJsonIsSortedIndentedAndEndsWithANewline() {
        var node = Json.parse("{\"b\":1,\"a\":{\"d\":[1,{\"z\":true,\"y\":null}],\"c\":\"x\"},\"e\":[],\"f\":{}}"
                .getBytes());
        String text = new String(Json.canonicalBytes(node));
        assertThat(text).isEqualTo("""
                {
                  "a": {
                    "c": "x",
                    "d": [
                      1,
                      {
                        "y": null,
                        "z": true
                      }
                    ]
                  },
                  "b": 1,
                  "e": [],
                  "f": {}
                }
                """);
    }
}
