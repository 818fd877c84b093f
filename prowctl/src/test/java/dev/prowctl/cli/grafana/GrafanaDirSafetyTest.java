package dev.prowctl.cli.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.fake.FakeGrafana;
import dev.prowctl.grafana.fake.Fakes;

/** Export and import stay inside --dir, encode what they send, and survive odd names and vanishing resources. */
class GrafanaDirSafetyTest {

    @TempDir
    Path tmp;

    private static CliRun run(FakeGrafana fake, String... args) {
        return GrafanaCli.run(fake, args);
    }

    private static String dashboard(String uid, String title) {
        return "{\"dashboard\": {\"uid\": \"" + uid + "\", \"title\": \"" + title + "\"}, \"folderUid\": \"\"}";
    }

    @Test
    void exportRefusesASymlinkedKindDirectoryAndWritesNothingThrough() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Fakes.seedTeamGrafana(fake, 3);
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            Path dir = Files.createDirectories(tmp.resolve("export"));
            Files.createSymbolicLink(dir.resolve("dashboards"), outside);
            CliRun run = run(fake, "export", "--dir", dir.toString(), "--kinds", "dashboards");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains(dir.resolve("dashboards").toString()).contains("symbolic link");
            try (var files = Files.list(outside)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void exportRemovesOnlyFilesItWrote() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Fakes.seedTeamGrafana(fake, 2);
            Path dir = tmp.resolve("export");
            Path notes = dir.resolve("dashboards/notes.json");
            Files.createDirectories(notes.getParent());
            Files.writeString(notes, "{\"todo\": \"keep me\"}");
            Path outsideFile = Files.writeString(tmp.resolve("outside.json"), dashboard("x", "X"));
            Files.createSymbolicLink(dir.resolve("dashboards/linked.json"), outsideFile);
            Path stale = dir.resolve("dashboards/gone.json");
            CliRun first = run(fake, "export", "--dir", dir.toString(), "--kinds", "dashboards");
            assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
            // a file the export wrote, for a dashboard deleted since: removed
            Files.copy(dir.resolve("dashboards/dash-0.json"), stale);
            CliRun again = run(fake, "export", "--dir", dir.toString(), "--kinds", "dashboards");
            assertThat(again.err()).contains("2 exported (0 changed, 1 removed)");
            assertThat(stale).doesNotExist();
            assertThat(notes).hasContent("{\"todo\": \"keep me\"}");
            assertThat(dir.resolve("dashboards/linked.json")).isSymbolicLink();
            assertThat(outsideFile).exists();
        }
    }

    @Test
    void importRefusesSymlinksNamingThem() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Path dir = Files.createDirectories(tmp.resolve("export/dashboards"));
            Files.writeString(dir.resolve("a.json"), dashboard("a", "A"));
            Path secret = Files.writeString(tmp.resolve("secret.json"), dashboard("s", "Secret"));
            Files.createSymbolicLink(dir.resolve("s.json"), secret);
            Path outsideDir = Files.createDirectories(tmp.resolve("elsewhere"));
            Files.createSymbolicLink(tmp.resolve("export/folders"), outsideDir);
            CliRun run = run(fake, "import", "--dir", tmp.resolve("export").toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains(dir.resolve("s.json").toString())
                    .contains(tmp.resolve("export/folders").toString()).contains("symbolic link");
            assertThat(fake.writes()).isEmpty();

            // --dir itself may be a link: only what lies below it may not
            Files.delete(dir.resolve("s.json"));
            Files.delete(tmp.resolve("export/folders"));
            Path linkedDir = Files.createSymbolicLink(tmp.resolve("linked-export"), tmp.resolve("export"));
            CliRun viaLink = run(fake, "import", "--dir", linkedDir.toString());
            assertThat(viaLink.exitCode()).as(viaLink.toString()).isEqualTo(ExitCodes.OK);
            assertThat(fake.dashboards()).containsOnlyKeys("a");
        }
    }

    @Test
    void dotSegmentsAreRefusedNeverResolved() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Path dir = Files.createDirectories(tmp.resolve("export/dashboards"));
            Files.writeString(dir.resolve("a.json"), dashboard("..", "Dots"));
            Files.createDirectories(tmp.resolve("export/folders"));
            Files.writeString(tmp.resolve("export/folders/f.json"), "{\"uid\": \".\", \"title\": \"Dot\"}");
            CliRun run = run(fake, "import", "--dir", tmp.resolve("export").toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains("dashboards/a.json").contains("folders/f.json").contains("invalid uid '..'");
            assertThat(fake.requests()).noneMatch(r -> r.path().startsWith("/api/dashboards")
                    || r.path().startsWith("/api/folders"));
        }
    }

    @Test
    void exportFailsOnlyTheItemWhoseUidIsADotSegment() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Fakes.seedTeamGrafana(fake, 3);
            fake.addDashboard("..", "Dots", "", null);
            Path dir = tmp.resolve("export");
            CliRun run = run(fake, "export", "--dir", dir.toString(), "--kinds", "dashboards");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.err()).contains("FAILED dashboards ..: invalid uid '..'")
                    .contains("3 exported").doesNotContain("feature disabled");
            assertThat(dir.resolve("dashboards/dash-2.json")).exists();
            assertThat(fake.requests()).noneMatch(r -> r.path().equals("/api/dashboards"));
        }
    }

    @Test
    void aDashboardDeletedDuringExportIsSkippedWithAWarning() {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            Fakes.seedTeamGrafana(fake, 5);
            fake.afterEachRequest(seen -> {
                if (seen.path().equals("/api/search")) {
                    fake.removeDashboard("dash-3");
                }
            });
            Path dir = tmp.resolve("export");
            CliRun run = run(fake, "export", "--dir", dir.toString(), "--kinds", "dashboards");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.err()).contains("warning: dashboards dash-3 was deleted while exporting")
                    .contains("4 exported").doesNotContain("feature disabled");
            assertThat(dir.resolve("dashboards/dash-4.json")).exists();
            assertThat(dir.resolve("dashboards/dash-3.json")).doesNotExist();
            Fakes.assertConforms(fake);
        }
    }

    @Test
    void collidingAndOverlongNamesGetUniqueStableBoundedFiles() throws IOException {
        try (FakeGrafana fake = Fakes.start(FakeGrafana.Line.V13)) {
            String hashed = "a_b-" + Integer.toHexString(Arrays.hashCode("a b".getBytes(StandardCharsets.UTF_8)));
            String longName = "x".repeat(300);
            for (String name : List.of("a b", hashed, "Weekends", "weekends", longName)) {
                fake.addMuteTiming(name);
            }
            Path dir = tmp.resolve("export");
            CliRun run = run(fake, "export", "--dir", dir.toString(), "--kinds", "mute-timings");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.err()).contains("5 exported (5 changed, 0 removed)");
            List<String> names;
            try (var files = Files.list(dir.resolve("alerting/mute-timings"))) {
                names = files.map(f -> f.getFileName().toString()).sorted().toList();
            }
            assertThat(names).hasSize(5).allSatisfy(n -> assertThat(n.length()).isLessThan(130));
            assertThat(names.stream().map(String::toLowerCase).distinct()).hasSize(5);
            CliRun again = run(fake, "export", "--dir", dir.toString(), "--kinds", "mute-timings");
            assertThat(again.err()).contains("5 exported (0 changed, 0 removed)");

            FakeGrafana.Line line = FakeGrafana.Line.V13;
            try (FakeGrafana target = Fakes.start(line)) {
                CliRun imported = run(target, "import", "--dir", dir.toString());
                assertThat(imported.exitCode()).as(imported.toString()).isEqualTo(ExitCodes.OK);
                assertThat(target.muteTimings()).containsOnlyKeys("a b", hashed, "Weekends", "weekends", longName);
            }
        }
    }
}
