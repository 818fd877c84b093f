package dev.prowctl.cli.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.prowctl.cli.CliRun;
import dev.prowctl.cli.ExitCodes;
import dev.prowctl.cli.TestCommandLine;
import dev.prowctl.stack.FakeDocker;
import dev.prowctl.stack.HostEnvironment;
import picocli.CommandLine;

/**
 * A checkout with a compose file, and {@code prowctl} run in it against a fake docker: what the stack command tests
 * share. {@link #v2} and {@link #v1} are the compose command lines the fakes see.
 */
final class StackCheckout {
    final Path checkout;
    final Path composeFile;
    final String v2;
    final String v1;

    StackCheckout(Path dir) throws IOException {
        checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.createDirectories(checkout.resolve("grafana/provisioning"));
        composeFile = checkout.resolve("docker-compose.yml");
        Files.writeString(composeFile, "services: {}\n");
        v2 = "docker compose -p prowctl -f " + composeFile;
        v1 = "docker-compose -p prowctl -f " + composeFile;
    }

    /** {@code prowctl args...} in the checkout, with {@code fake} as docker. */
    CliRun run(FakeDocker fake, String... args) throws IOException {
        return run(fake.install(checkout), args);
    }

    /** {@code prowctl args...} on {@code host} (a fake docker installed wherever the test put it). */
    static CliRun run(HostEnvironment host, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TestCommandLine.create(new PrintWriter(out), new PrintWriter(err));
        ((StackCommand) cli.getSubcommands().get("stack").getCommandSpec().userObject()).host = host;
        int code = cli.execute(args);
        return new CliRun(ExitCodes.of(code), out.toString(), err.toString());
    }
}
