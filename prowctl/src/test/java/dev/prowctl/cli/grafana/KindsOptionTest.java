package dev.prowctl.cli.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;

/** {@code --kinds} narrows export and import to those kinds, and the other kinds' files are not news. */
class KindsOptionTest {

    @TempDir
    Path tmp;

    private static CliRun run(FakeGrafana fake, String... args) {
        List<String> all = new ArrayList<>(List.of("grafana"));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", fake.url().toString(), "--token", FakeGrafana.ADMIN_TOKEN));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void onlyDashboardsSaysNothingAboutTheOtherKindsFiles() throws java.io.IOException {
        Path dir = tmp.resolve("export");
        try (FakeGrafana source = Fakes.start(FakeGrafana.Line.V13)) {
            Fakes.seedTeamGrafana(source, 3);
            assertThat(run(source, "export", "--dir", dir.toString()).exitCode()).isEqualTo(ExitCodes.OK);

            CliRun export = run(source, "export", "--dir", dir.toString(), "--kinds", "dashboards");
            assertThat(export.exitCode()).as(export.toString()).isEqualTo(ExitCodes.OK);
            assertThat(export.err().lines()).as(export.toString())
                    .containsExactly("dashboards           3 exported (0 changed, 0 removed)");

            java.nio.file.Files.createDirectories(dir.resolve("notes"));
            java.nio.file.Files.writeString(dir.resolve("notes/todo.json"), "{}");
            CliRun imported = run(source, "import", "--dir", dir.toString(), "--kinds", "dashboards");
            assertThat(imported.exitCode()).as(imported.toString()).isEqualTo(ExitCodes.OK);
            assertThat(imported.err().lines().filter(l -> l.contains("ignored"))).as(imported.toString())
                    .containsExactly("prowctl grafana import: ignored notes/todo.json (not an export file)");
            assertThat(imported.err()).as(imported.toString())
                    .contains("0 created, 0 updated, 3 unchanged, 0 failed");
        }
    }
}
