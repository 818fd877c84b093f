package dev.prowctl.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;

class KeysAndAlertsTest {

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(value = FakeGrafana.Line.class, names = {"V11_6", "V12", "V13"})
    void serviceAccountIsFoundOrCreatedAndATakenTokenNameGetsASuffix(FakeGrafana.Line line) {
        try (FakeGrafana fake = Fakes.start(line)) {
            fake.addServiceAccount("prowctl-relay-old"); // a similar name must not be taken for ours
            GrafanaKeys keys = new GrafanaKeys(FakeGrafanaClients.of(fake));
            String first = keys.create("prowctl-relay", GrafanaKeys.Role.Viewer, 0);
            String second = keys.create("prowctl-relay", GrafanaKeys.Role.Viewer, 3600);
            assertThat(first).startsWith("glsa_prowctl-relay_");
            assertThat(second).startsWith("glsa_prowctl-relay-2_");
            assertThat(fake.serviceAccounts()).extracting(sa -> sa.path("name").asText())
                    .containsExactlyInAnyOrder("prowctl-relay-old", "prowctl-relay");
            assertThat(fake.requests()).noneMatch(r -> r.path().startsWith("/api/auth/keys"));
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void aTokenNameTakenBetweenListAndCreateStillGetsAFreshName() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addServiceAccount("ci", "Editor");
            long id = fake.serviceAccounts().iterator().next().path("id").asLong();
            fake.addToken(id, "ci");
            fake.addToken(id, "ci-2");
            String key = new GrafanaKeys(FakeGrafanaClients.of(fake)).create("ci", GrafanaKeys.Role.Editor, 0);
            assertThat(key).startsWith("glsa_ci-3_");
            assertThat(fake.tokens(id)).extracting(t -> t.path("name").asText()).containsExactly("ci", "ci-2", "ci-3");
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void anExistingServiceAccountWithAnotherRoleIsNotReused() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            fake.addServiceAccount("relay", "Admin");
            long id = fake.serviceAccounts().iterator().next().path("id").asLong();
            GrafanaKeys keys = new GrafanaKeys(FakeGrafanaClients.of(fake));
            assertThatThrownBy(() -> keys.create("relay", GrafanaKeys.Role.Viewer, 0))
                    .isInstanceOf(GrafanaKeys.RoleMismatch.class)
                    .hasMessage("service account 'relay' already exists with role Admin, not Viewer;"
                            + " nothing was created");
            assertThat(fake.tokens(id)).isEmpty();
            assertThat(fake.serviceAccounts()).hasSize(1);
            assertThat(fake.writes()).isEmpty();
        }
    }

    @Test
    void grafana8UsesLegacyApiKeys() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V8_4)) {
            GrafanaKeys keys = new GrafanaKeys(FakeGrafanaClients.of(fake));
            String key = keys.create("old-key", GrafanaKeys.Role.Admin, 0);
            String again = keys.create("old-key", GrafanaKeys.Role.Viewer, 60);
            assertThat(key).startsWith("eyJrIjoi");
            assertThat(again).startsWith("eyJrIjoi").isNotEqualTo(key);
            assertThat(fake.apiKeys()).extracting(k -> k.path("name").asText() + "/" + k.path("role").asText())
                    .containsExactly("old-key/Admin", "old-key-2/Viewer");
            assertThat(fake.requests()).noneMatch(r -> r.path().startsWith("/api/serviceaccounts"));
            Fakes.assertConforms(fake);
        }
    }

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(FakeGrafana.Line.class)
    void firingAlertsAreFilteredCaseInsensitivelyByEveryWord(FakeGrafana.Line line) {
        try (FakeGrafana fake = Fakes.start(line)) {
            fake.addFiringAlert("OADP periodic failing", "alerting", "e2e-aws failed 3 times in a row");
            fake.addFiringAlert("Velero backup slow", "alerting", "OADP backups take 40 minutes");
            fake.addFiringAlert("Disk almost full", "ok", "resolved meanwhile");
            GrafanaAlerts alerts = new GrafanaAlerts(FakeGrafanaClients.of(fake));

            assertThat(alerts.firing(List.of())).extracting(FiringAlert::name)
                    .containsExactly("OADP periodic failing", "Velero backup slow");
            assertThat(alerts.firing(List.of("oadp"))).hasSize(2);
            List<FiringAlert> e2e = alerts.firing(List.of("OADP", "E2E"));
            assertThat(e2e).singleElement().satisfies(a -> {
                assertThat(a.name()).isEqualTo("OADP periodic failing");
                assertThat(a.message()).isEqualTo("e2e-aws failed 3 times in a row");
                assertThat(GrafanaAlerts.isFiring(a.state())).isTrue();
                assertThat(a.url()).startsWith("http://");
            });
            assertThat(alerts.firing(List.of("disk"))).isEmpty();
            String expectedEndpoint = line == FakeGrafana.Line.V8_4 ? "/api/alerts" : "/api/alertmanager/";
            assertThat(fake.requests()).anyMatch(r -> r.path().startsWith(expectedEndpoint));
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void disabledUnifiedAlertingIsReportedAsUnsupportedWithTheVersion() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V11_6)) {
            fake.disable("/api/alertmanager");
            assertThatThrownBy(() -> new GrafanaAlerts(FakeGrafanaClients.of(fake)).firing(List.of()))
                    .isInstanceOfSatisfying(GrafanaException.class, e -> {
                        assertThat(e.problem()).isEqualTo(GrafanaException.Problem.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("Grafana 11.6.3").contains("unified alerting");
                    });
        }
    }
}
