package dev.prowctl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class TestEnvTest {

    @Test
    void theSharedCasesPayloadIsAFileWithItsItems() throws Exception {
        assertThat(Files.readString(TestEnv.resource("prow/scrape-cases.json"))).startsWith("{").contains("\"items\"");
    }

    @Test
    void aMissingResourceIsABrokenBuildNotASkip() {
        assertThatThrownBy(() -> TestEnv.resource("prow/no-such-payload.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prow/no-such-payload.json");
    }

    @Test
    void theRepositoryRootHoldsTheMavenWrapper() {
        assertThat(TestEnv.repoDir().resolve("mvnw")).isRegularFile();
    }
}
