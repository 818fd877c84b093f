package dev.prowctl.cli.grafana;

import java.util.ArrayList;
import java.util.List;

import dev.prowctl.cli.CommandFailure;
import dev.prowctl.cli.ConcurrencyOption;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.cli.Progress;
import dev.prowctl.grafana.resources.Parallel;
import dev.prowctl.grafana.resources.ResourceHandler;
import dev.prowctl.grafana.resources.ResourceKinds;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --kinds}: which resource kinds export and import handle (default: all). */
public final class KindsOption {

    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
            description = "Only these kinds (comma-separated): datasources, folders, dashboards, "
                    + "alert-notifications, contact-points, templates, mute-timings, policies, alert-rules. "
                    + "Default: all.")
    List<String> kinds = new ArrayList<>();

    /** Requests to Grafana at once at most. */
    @Mixin
    ConcurrencyOption concurrency;

    /**
     * Bounded concurrency; on a terminal the progress line shows "grafana: 120/500" while items are done, and
     * nothing when stderr is redirected.
     */
    Parallel parallel(java.io.PrintWriter err) {
        Progress progress = Progress.onStderr(err);
        return new Parallel(concurrency.value(), (done, total) -> {
            if (total >= 20) {
                progress.update("grafana", done, total);
            }
            if (done == total) {
                progress.finish();
            }
        });
    }

    /** True when --kinds named the kinds (then a kind the server lacks is an error). */
    boolean explicit() {
        return !kinds.isEmpty();
    }

    /**
     * Whether {@code relativePath} (as an export lays it out, e.g. {@code folders/ci.json}) is a file of a kind
     * that --kinds left out: an import that skips it has nothing to report.
     */
    boolean ofAnotherKind(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        String directory = slash < 0 ? "" : relativePath.substring(0, slash);
        String name = relativePath.substring(slash + 1);
        List<ResourceHandler> selected = handlers();
        return ResourceKinds.all().stream()
                .filter(h -> !selected.contains(h))
                .anyMatch(h -> h.directory().equals(directory) && h.ownsFile(name));
    }

    /** The selected handlers in import order; unknown names are a usage error. */
    List<ResourceHandler> handlers() {
        List<ResourceHandler> all = ResourceKinds.all();
        for (String k : kinds) {
            if (all.stream().noneMatch(h -> h.kind().equals(k))) {
                throw new CommandFailure(ExitCodes.USAGE, "--kinds: unknown kind '" + k + "'; kinds: "
                        + String.join(", ", ResourceKinds.names()));
            }
        }
        return all.stream().filter(h -> kinds.isEmpty() || kinds.contains(h.kind())).toList();
    }
}
