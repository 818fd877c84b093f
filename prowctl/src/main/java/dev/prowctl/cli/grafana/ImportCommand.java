package dev.prowctl.cli.grafana;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.prowctl.cli.CommandFailure;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.resources.Action;
import dev.prowctl.grafana.resources.ImportContext;
import dev.prowctl.grafana.resources.Importer;
import dev.prowctl.grafana.resources.Secrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prowctl grafana import}: idempotent import of an export directory. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import an export directory into Grafana in dependency order (datasources, folders parents "
                + "first, dashboards, then alerting), creating or updating by uid (else by name). Only what differs "
                + "from the server is written: a second import writes nothing.",
                "Also reads the original Python export: <name>.dashboard.json, <name>.datasource.json, "
                        + "<name>.alert-notification.json (imported as contact points on Grafana 9+).",
                "Datasource secrets come from --secrets-file ({\"<datasource name or uid>\": {\"<field>\": "
                        + "\"<secret>\"}}) or $GRAFANA_SECRET_<NAME>_<FIELD> (upper case, other characters as _), "
                        + "e.g. GRAFANA_SECRET_MARIADB_PASSWORD.",
                "Failed items are reported, the rest continues; the exit code is then 1."})
public final class ImportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    GrafanaConnection connection;

    @Mixin
    KindsOption kinds;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Export directory to read.")
    Path dir;

    @Option(names = "--dry-run", description = "Print the plan (create / update / unchanged per resource) on stdout "
            + "and write nothing.")
    boolean dryRun;

    @Option(names = "--secrets-file", paramLabel = "FILE", description = "JSON file with datasource secrets.")
    Path secretsFile;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String me = spec.qualifiedName() + ": "; // one prefix scheme: prowctl grafana import: ...
        var handlers = kinds.handlers();
        Secrets secrets;
        try {
            secrets = Secrets.load(secretsFile, System.getenv());
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, "--secrets-file " + secretsFile + ": " + e.getMessage());
        }
        Importer.Loaded loaded;
        try {
            loaded = Importer.load(dir, handlers);
        } catch (NoSuchFileException e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, "no import directory " + dir);
        } catch (Importer.MalformedFiles e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, "nothing imported: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.ENVIRONMENT, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        for (String ignored : loaded.ignored()) {
            if (kinds.ofAnotherKind(ignored)) {
                continue;
            }
            err.println(me + "ignored " + ignored + " (not an export file)");
        }
        if (loaded.size() == 0) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, "no resources to import in " + dir);
        }
        ImportContext context = new ImportContext(connection.client(), dryRun, secrets, warning -> {
            synchronized (err) {
                err.println(me + "warning: " + warning);
            }
        });
        List<Importer.Outcome> outcomes = new Importer(kinds.parallel(err)).run(loaded, context);
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        int failed = 0;
        for (Importer.Outcome o : outcomes) {
            String item = o.resource().kind() + " " + o.resource().name() + " (" + o.resource().file() + ")";
            if (o.failed()) {
                failed++;
                err.println(me + "FAILED " + item + ": " + o.error());
                continue;
            }
            counts.merge(o.action(), 1, Integer::sum);
            if (dryRun) {
                out.printf("%-9s %s%n", o.action().label(), item);
            } else if (o.action() != Action.UNCHANGED) {
                err.println(me + o.action().label() + "d " + item);
            }
        }
        err.printf("%s%s: %d created, %d updated, %d unchanged, %d failed%n",
                spec.qualifiedName(), dryRun ? " (dry run, nothing written)" : "",
                counts.getOrDefault(Action.CREATE, 0), counts.getOrDefault(Action.UPDATE, 0),
                counts.getOrDefault(Action.UNCHANGED, 0), failed);
        if (failed > 0) {
            throw new CommandFailure(ExitCodes.PARTIAL, failed + " of " + outcomes.size() + " resources failed");
        }
    }
}
