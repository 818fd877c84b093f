package dev.prowctl.cli;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;

/**
 * {@link DurationConverter}'s syntax ({@code 30s}, {@code 2m}, {@code 500ms}; a plain number is seconds, as these
 * options took before), where zero is allowed too: {@code --grace 0} stops without waiting for the queues.
 */
final class RelayDurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        if (value.strip().toLowerCase(Locale.ROOT).matches("0+\\s*(ms|s|m|h)?")) {
            return Duration.ZERO;
        }
        return new DurationConverter().convert(value);
    }
}
