package dev.prowctl.cli;

import picocli.CommandLine.Command;

/** Placeholder until the relay issue lands: replaced as a whole by its implementation. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Receive Grafana and Alertmanager alert webhooks and relay them to IRC and chat.")
public final class RelayCommand implements Runnable {
    @Override
    public void run() {
        throw new CommandFailure(ExitCodes.INTERNAL, "relay is not built yet");
    }
}
