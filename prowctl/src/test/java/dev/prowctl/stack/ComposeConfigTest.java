package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading {@code compose config}: both port syntaxes, both environment syntaxes, and no secret in an error. */
class ComposeConfigTest {

    @TempDir
    Path dir;

    @Test
    void shortPortSyntaxGivesTheHostAddressCompose129Prints() {
        assertThat(ComposeConfig.shortSyntax("0.0.0.0:3001:3000/tcp")).isEqualTo(new ComposeConfig.Published("0.0.0.0", "3001"));
        assertThat(ComposeConfig.shortSyntax("127.0.0.1:3000:3000/tcp").loopbackOnly()).isTrue();
        assertThat(ComposeConfig.shortSyntax("[::1]:3000:3000/tcp")).isEqualTo(new ComposeConfig.Published("::1", "3000"));
        assertThat(ComposeConfig.shortSyntax("[::1]:3000:3000/tcp").loopbackOnly()).isTrue();
        // no host address: every interface
        ComposeConfig.Published everywhere = ComposeConfig.shortSyntax("3000:3000");
        assertThat(everywhere).isEqualTo(new ComposeConfig.Published("", "3000"));
        assertThat(everywhere.loopbackOnly()).isFalse();
        assertThat(everywhere.address()).isEqualTo("0.0.0.0:3000");
        assertThat(ComposeConfig.shortSyntax("3000").loopbackOnly()).isFalse();
    }

    @Test
    void longPortSyntaxAndBothEnvironmentSyntaxes() throws IOException {
        ComposeConfig config = new ComposeConfig(new ObjectMapper().readTree("""
                {"services": {
                  "grafana": {"ports": [{"target": 3000, "published": "3000", "protocol": "tcp"}],
                              "environment": ["GF_SECURITY_ADMIN_USER=ops", "GF_SECURITY_ADMIN_PASSWORD="]},
                  "influxdb": {"ports": [{"host_ip": "::", "target": 8086, "published": "8086"}],
                               "environment": {"INFLUXDB_DB": "prow", "EMPTY": null}}}}
                """));

        assertThat(config.published("grafana")).containsExactly(new ComposeConfig.Published("", "3000"));
        assertThat(config.published("influxdb").get(0).address()).isEqualTo("[::]:8086");
        assertThat(config.environment("grafana", "GF_SECURITY_ADMIN_USER")).contains("ops");
        assertThat(config.environment("grafana", "GF_SECURITY_ADMIN_PASSWORD")).isEmpty();
        assertThat(config.environment("influxdb", "INFLUXDB_DB")).contains("prow");
        assertThat(config.environment("influxdb", "EMPTY")).isEmpty();
        assertThat(config.published("telegraf")).isEmpty();
    }

    @Test
    void unreadableOutputIsBadOutputWithoutEchoingIt() throws IOException {
        FakeDocker fake = FakeDocker.v2(dir).on("docker", "compose * config --format json",
                FakeDocker.Answer.ok("GF_SECURITY_ADMIN_PASSWORD: s3cret\n[not json"));
        HostEnvironment host = fake.install(dir);
        ProcessRunner runner = new ProcessRunner(host);
        Compose compose = Compose.detect(host, runner, "prowctl", dir.resolve("docker-compose.yml"));

        assertThatThrownBy(() -> ComposeConfig.read(compose, runner)).isInstanceOf(StackException.class)
                .hasMessageContaining("did not print a compose configuration").hasMessageNotContaining("s3cret")
                .satisfies(e -> assertThat(((StackException) e).reason()).isEqualTo(StackException.Reason.BAD_OUTPUT));
    }
}
