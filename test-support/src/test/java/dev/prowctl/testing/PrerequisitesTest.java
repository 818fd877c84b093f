package dev.prowctl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The rule as JUnit reports it: a sample test that needs a tool runs under a chosen environment, and we read back
 * whether JUnit counted it as skipped, failed or passed.
 */
class PrerequisitesTest {

    private static final String TOOL = "prowctl-test-tool";

    /** The rule the sample tests use; set just before one runs. */
    private static Prerequisites rule;

    @TempDir
    Path bin;

    /** The samples: not run by the build itself (surefire skips nested classes), only through {@link #run}. */
    static class NeedsATool {
        @Test
        void usesTheTool() {
            assertThat(rule.binary(TOOL, "prowctl-tools")).hasFileName(TOOL);
        }
    }

    /** The file the fixture sample looks for. */
    private static Path fixture;

    static class NeedsAFixture {
        @Test
        void readsTheFixture() {
            assertThat(rule.file(fixture, "the fixture")).isEqualTo(fixture);
        }
    }

    static class NeedsAnOptInServer {
        @Test
        void usesTheServer() {
            assertThat(rule.optIn("PROWCTL_TEST_SERVER_URL", "a server CI does not have")).startsWith("http");
        }
    }

    @Test
    void aMissingServerIsSkippedOnADeveloperMachine() {
        TestExecutionSummary summary = run(NeedsATool.class, environment(false));
        assertThat(summary.getTestsAbortedCount()).isOne();
        assertThat(summary.getTestsFailedCount()).isZero();
        assertThat(summary.getTestsSucceededCount()).isZero();
    }

    @Test
    void aMissingServerFailsWithAClearMessageWhenServersAreRequired() {
        TestExecutionSummary summary = run(NeedsATool.class, environment(true));
        assertThat(summary.getTestsFailedCount()).isOne();
        assertThat(summary.getTestsAbortedCount()).isZero();
        assertThat(summary.getFailures()).singleElement().satisfies(failure ->
                assertThat(failure.getException()).isInstanceOf(AssertionError.class).hasMessage(TOOL
                        + " not found: install it with `apt-get install prowctl-tools` (PROWCTL_REQUIRE_SERVERS=1: a"
                        + " missing server or fixture fails the build)"));
    }

    @Test
    void aPresentServerRunsTheTestWhetherRequiredOrNot() throws IOException {
        Files.createFile(bin.resolve(TOOL), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        for (boolean required : new boolean[] {false, true}) {
            TestExecutionSummary summary = run(NeedsATool.class, environment(required));
            assertThat(summary.getTestsSucceededCount()).as("required=" + required).isOne();
            assertThat(summary.getTestsFailedCount() + summary.getTestsAbortedCount()).isZero();
        }
    }

    @Test
    void aFileThatIsNotExecutableDoesNotCountAsTheTool() throws IOException {
        Files.createFile(bin.resolve(TOOL));
        assertThat(run(NeedsATool.class, environment(false)).getTestsAbortedCount()).isOne();
    }

    @Test
    void aMissingFixtureFollowsTheSameRule() {
        fixture = bin.resolve("fixture.json");
        assertThat(run(NeedsAFixture.class, environment(false)).getTestsAbortedCount()).isOne();
        assertThat(run(NeedsAFixture.class, environment(true)).getFailures()).singleElement().satisfies(failure ->
                assertThat(failure.getException()).hasMessageStartingWith("the fixture is absent: " + fixture));
    }

    @Test
    void aPresentFixtureRunsTheTest() throws IOException {
        fixture = Files.createFile(bin.resolve("fixture.json"));
        assertThat(run(NeedsAFixture.class, environment(true)).getTestsSucceededCount()).isOne();
    }

    @Test
    void anOptInTestIsSkippedEvenWhenServersAreRequired() {
        TestExecutionSummary summary = run(NeedsAnOptInServer.class, environment(true));
        assertThat(summary.getTestsAbortedCount()).isOne();
        assertThat(summary.getTestsFailedCount()).isZero();
    }

    @Test
    void anOptInTestRunsWhenAskedFor() {
        Map<String, String> environment = environment(true);
        environment.put("PROWCTL_TEST_SERVER_URL", "http://127.0.0.1:1");
        assertThat(run(NeedsAnOptInServer.class, environment).getTestsSucceededCount()).isOne();
    }

    /** PATH holds only the temporary directory; {@code required} sets PROWCTL_REQUIRE_SERVERS=1. */
    private Map<String, String> environment(boolean required) {
        Map<String, String> environment = new HashMap<>(Map.of("PATH", bin.toString()));
        if (required) {
            environment.put(Prerequisites.REQUIRE_SERVERS, "1");
        }
        return environment;
    }

    private static TestExecutionSummary run(Class<?> sample, Map<String, String> environment) {
        rule = new Prerequisites(environment);
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample))
                .build(), listener);
        return listener.getSummary();
    }
}
