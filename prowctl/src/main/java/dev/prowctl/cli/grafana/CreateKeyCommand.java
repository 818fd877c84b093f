package dev.prowctl.cli.grafana;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import dev.prowctl.cli.CommandFailure;
import dev.prowctl.cli.DurationConverter;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.GrafanaKeys;
import dev.prowctl.http.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prowctl grafana create-key}: a service-account token (9+) or a legacy API key (8.x). */
@Command(name = "create-key", mixinStandardHelpOptions = true,
        description = {"Create a Grafana API credential and print only the key on stdout.",
                "Grafana 9+: finds or creates the service account NAME, then adds a token (a taken token name gets "
                        + "a suffix: NAME-2, ...). Grafana 8.x: a legacy API key.",
                "Needs admin rights: usually --user/--password of the Grafana admin."})
public final class CreateKeyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    GrafanaConnection connection;

    @Option(names = "--name", required = true, description = "Service account (and token) or key name.")
    String name;

    @Option(names = "--role", defaultValue = "Viewer",
            description = "Role of the service account or key: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    GrafanaKeys.Role role;

    @Option(names = {"--ttl", "--seconds-to-live"}, defaultValue = "0", paramLabel = "DURATION",
            converter = DurationConverter.ZeroAllowed.class,
            description = "Expire the key after this long, e.g. 90m or 720h; a plain number is seconds (default: 0,"
                    + " never). --seconds-to-live is the old name.")
    Duration ttl;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Write the key to FILE (mode 0600, atomically) instead of stdout.")
    Path keyFile;

    @Override
    public void run() {
        if (keyFile == null) {
            spec.commandLine().getOut().println(createKey().key());
            return;
        }
        // Grafana shows a key once: make sure it can be kept before creating it.
        AtomicFiles.Pending pending;
        try {
            pending = AtomicFiles.Pending.create(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.ENVIRONMENT, "cannot write --key-file " + keyFile + ": " + e
                    + "; nothing was created in Grafana");
        }
        try (pending) {
            GrafanaKeys.Created created = createKey();
            try {
                pending.commit((created.key() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CommandFailure(ExitCodes.ENVIRONMENT, "created " + created.what() + " but cannot write "
                        + "--key-file " + keyFile + ": " + e + "; delete that token in Grafana and try again");
            }
            spec.commandLine().getErr().println(spec.qualifiedName() + ": wrote the key of " + created.what() + " to "
                    + keyFile);
        } catch (IOException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": warning: could not remove a temp file: " + e);
        }
    }

    private GrafanaKeys.Created createKey() {
        try {
            return new GrafanaKeys(connection.client()).createKey(name, role, ttl.toSeconds());
        } catch (GrafanaKeys.RoleMismatch e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage() + " (give --role " + e.existingRole()
                    + " to add a token to it, or another --name)");
        }
    }
}
