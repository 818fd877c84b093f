package dev.prowctl.cli.grafana;

import java.util.ArrayList;
import java.util.List;

import dev.prowctl.cli.CliRun;
import dev.prowctl.grafana.fake.FakeGrafana;

/** Runs {@code prowctl grafana ...} in-process against a fake Grafana, logged in with its admin token. */
final class GrafanaCli {

    private GrafanaCli() {
    }

    static CliRun run(FakeGrafana fake, String... args) {
        List<String> all = new ArrayList<>(List.of("grafana"));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", fake.url().toString(), "--token", FakeGrafana.ADMIN_TOKEN));
        return CliRun.of(all.toArray(String[]::new));
    }
}
