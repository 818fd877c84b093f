package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookParserTest {
    private final WebhookParser parser = new WebhookParser();

    private WebhookParser.Parsed parse(String json) throws BadPayloadException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recognisesTheDialects() throws Exception {
        assertThat(parse(Bodies.fixture("grafana-unified-firing.json")).dialect())
                .isEqualTo(WebhookParser.Dialect.GRAFANA_UNIFIED);
        assertThat(parse(Bodies.fixture("alertmanager-mixed.json")).dialect())
                .isEqualTo(WebhookParser.Dialect.ALERTMANAGER);
        WebhookParser.Parsed legacy = parse(Bodies.fixture("grafana-legacy-alerting.json"));
        assertThat(legacy.dialect()).isEqualTo(WebhookParser.Dialect.GRAFANA_LEGACY);
        assertThat(legacy.messages()).singleElement().asString().doesNotContain("\n");
    }

    @Test
    void firingIsTheZeroEndsAtWhenThereIsNoStatus() throws Exception {
        String body = """
                {"alerts":[{"labels":{"alertname":"A"},"endsAt":"0001-01-01T00:00:00Z"},
                           {"labels":{"alertname":"A"},"endsAt":"2020-01-01T00:00:00Z"}]}""";
        assertThat(parse(body).messages()).containsExactly("[FIRING:1, RESOLVED:1] A");
    }

    @Test
    void emptyAlertGroupsRelayNothing() throws Exception {
        assertThat(parse("{\"alerts\":[],\"status\":\"firing\"}").messages()).isEmpty();
    }

    @Test
    void aBodyNestedDeeperThanTheLimitIsABadPayload() {
        String deep = "{\"alerts\":" + "[".repeat(150) + "]".repeat(150) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(BadPayloadException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void reasonsForBadBodies() {
        assertThatThrownBy(() -> parse("{\"alerts\":[{\"status\":\"firing\"}]}"))
                .hasMessageContaining("labels");
        assertThatThrownBy(() -> parse("{\"state\":\"alerting\",\"ruleName\":\"\",\"title\":\"\"}"))
                .hasMessageContaining("title");
        assertThatThrownBy(() -> parse("null")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("")).isInstanceOf(BadPayloadException.class);
    }
}
