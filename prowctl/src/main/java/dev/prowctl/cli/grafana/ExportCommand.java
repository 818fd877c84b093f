package dev.prowctl.cli.grafana;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import dev.prowctl.cli.CommandFailure;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.resources.ExportDir;
import dev.prowctl.grafana.resources.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prowctl grafana export}: one canonical JSON file per resource, ready for git. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export dashboards, folders, datasources (without secrets) and alerting to DIR, one file per "
                + "resource with sorted keys, so that re-exporting an unchanged Grafana changes nothing.",
                "Layout: datasources/<uid>.json, folders/<uid>.json, dashboards/<uid>.json, "
                        + "alert-notifications/<uid>.json (8.x), alerting/contact-points/<uid>.json, "
                        + "alerting/policies.json, alerting/rules/<uid>.json, alerting/templates/<name>.json, "
                        + "alerting/mute-timings/<name>.json.",
                "Files of resources deleted in Grafana are removed (only files an export wrote: canonical JSON of "
                        + "that kind). Symbolic links below DIR are refused, never followed. A summary per kind goes "
                        + "to stderr."})
public final class ExportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    GrafanaConnection connection;

    @Mixin
    KindsOption kinds;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory to write (created).")
    Path dir;

    @Override
    public void run() {
        var handlers = kinds.handlers();
        List<Exporter.Summary> summaries;
        try {
            summaries = new Exporter(connection.client(), kinds.parallel(spec.commandLine().getErr()))
                    .export(dir, handlers);
        } catch (ExportDir.LinkRefused e) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, "nothing more exported: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.ENVIRONMENT, "cannot write to " + dir + ": " + e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        String me = spec.qualifiedName() + ": "; // one prefix scheme: prowctl grafana export: ...
        String unsupported = null;
        int invalid = 0;
        for (Exporter.Summary s : summaries) {
            s.warnings().forEach(w -> err.println(me + "warning: " + w));
            s.invalid().forEach(w -> err.println(me + "FAILED " + w));
            invalid += s.invalid().size();
            if (s.skipped() != null) {
                err.printf("%-20s skipped: %s%n", s.kind(), s.skipped());
                if (kinds.explicit()) {
                    unsupported = s.kind() + ": " + s.skipped();
                }
            } else {
                err.printf("%-20s %d exported (%d changed, %d removed)%n", s.kind(), s.exported(), s.changed(),
                        s.removed());
            }
        }
        if (invalid > 0) {
            throw new CommandFailure(ExitCodes.BAD_INPUT, invalid + " resources not exported: their uid cannot be "
                    + "used in a URL (see above)");
        }
        if (unsupported != null) {
            // Asked for by name with --kinds, so not having it is an error, not a footnote.
            throw new CommandFailure(ExitCodes.UNSUPPORTED, unsupported);
        }
    }
}
