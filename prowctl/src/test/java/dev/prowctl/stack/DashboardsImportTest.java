package dev.prowctl.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.prowctl.cli.ExitCodes;
import dev.prowctl.cli.CliRun;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;
import dev.prowctl.testing.TestEnv;

/**
 * The stack's own dashboards import cleanly with {@code prowctl grafana import} into every supported Grafana line
 * (the spec-checked fake), and a second import writes nothing.
 */
class DashboardsImportTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(value = FakeGrafana.Line.class, names = {"V11_6", "V12", "V13"}, mode = EnumSource.Mode.INCLUDE)
    void dashboardsImportThenReimportWritesNothing(FakeGrafana.Line line) throws IOException {
        importThenReimportWritesNothing(line, "dashboards",
                List.of("prowctl-overview", "prowctl-periodics", "prowctl-pull-requests"));
    }

    /** The Prometheus path's dashboards (dashboards/prometheus) import the same way, on their own uids. */
    @ParameterizedTest(name = "Grafana {0}")
    @EnumSource(value = FakeGrafana.Line.class, names = {"V11_6", "V12", "V13"}, mode = EnumSource.Mode.INCLUDE)
    void prometheusDashboardsImportThenReimportWritesNothing(FakeGrafana.Line line) throws IOException {
        importThenReimportWritesNothing(line, "dashboards/prometheus",
                List.of("prowctl-prom-overview", "prowctl-prom-periodics", "prowctl-prom-pull-requests"));
    }

    /** Imports the three dashboards of {@code source} (in the checkout), then again: the second writes nothing. */
    private void importThenReimportWritesNothing(FakeGrafana.Line line, String source, List<String> uids)
            throws IOException {
        Path dashboards = Files.createDirectories(tmp.resolve("dashboards"));
        List<Path> files;
        try (Stream<Path> list = Files.list(TestEnv.repoDir().resolve(source))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(3);
        for (Path file : files) {
            Files.copy(file, dashboards.resolve(file.getFileName()));
        }
        try (FakeGrafana fake = Fakes.start(line)) {
            CliRun first = grafanaImport(fake);
            assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
            assertThat(fake.writes()).hasSize(3);
            for (String uid : uids) {
                assertThat(first.err() + first.out()).contains(uid);
            }
            int writes = fake.writes().size();
            CliRun second = grafanaImport(fake);
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
            assertThat(fake.writes()).hasSize(writes);
            Fakes.assertConforms(fake);
        }
    }

    private CliRun grafanaImport(FakeGrafana fake) {
        return CliRun.of("grafana", "import", "--dir", tmp.toString(), "--url", fake.url().toString(),
                "--token", FakeGrafana.ADMIN_TOKEN);
    }
}
