package dev.prowctl.cli;

import picocli.CommandLine.Command;

/** Placeholder until the scrape issue lands: replaced as a whole by its implementation. */
@Command(name = "scrape", mixinStandardHelpOptions = true,
        description = "Collect finished Prow runs from a deck and print them as InfluxDB line protocol, JSON or text.")
public final class ScrapeCommand implements Runnable {
    @Override
    public void run() {
        throw new CommandFailure(ExitCodes.INTERNAL, "scrape is not built yet");
    }
}
