package dev.prowctl.relay;

import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

import dev.prowctl.http.TerminalText;

/** Writes each relayed message as a line on stderr (through the relay log). */
public final class LogOutput implements Output {
    private final RelayLog log;

    public LogOutput(RelayLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public int maxBatch() {
        return 1000;
    }

    @Override
    public void deliver(List<String> batch, IntConsumer delivered) {
        for (String message : batch) {
            log.info("alert: " + TerminalText.oneLine(message));
        }
        delivered.accept(batch.size());
    }

    @Override
    public Optional<String> problem() {
        return Optional.empty();
    }
}
