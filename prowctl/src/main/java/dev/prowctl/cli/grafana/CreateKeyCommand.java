package dev.prowctl.cli.grafana;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.prowctl.cli.CommandFailure;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.grafana.AtomicFiles;
import dev.prowctl.grafana.GrafanaKeys;
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

    @Option(names = "--seconds-to-live", defaultValue = "0", paramLabel = "N",
            description = "Expire the key after N seconds (default: 0, never).")
    long secondsToLive;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Write the key to FILE (mode 0600, atomically) instead of stdout.")
    Path keyFile;

    @Override
    public void run() {
        if (secondsToLive < 0) {
            throw new CommandFailure(ExitCodes.USAGE, "--seconds-to-live must not be negative");
        }
        String key;
        try {
            key = new GrafanaKeys(connection.client()).create(name, role, secondsToLive);
        } catch (GrafanaKeys.RoleMismatch e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage() + " (give --role " + e.existingRole()
                    + " to add a token to it, or another --name)");
        }
        if (keyFile != null) {
            try {
                AtomicFiles.write(keyFile, (key + "\n").getBytes(StandardCharsets.UTF_8),
                        PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new CommandFailure(ExitCodes.ENVIRONMENT, "cannot write --key-file " + keyFile + ": " + e);
            }
            spec.commandLine().getErr().println("create-key: wrote the key for '" + name + "' to " + keyFile);
        } else {
            spec.commandLine().getOut().println(key);
        }
    }
}
