package dev.prowctl.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --concurrency}, the same everywhere (a mixin): requests in flight at most, 1 to 256, default 8 or
 * {@code $PROWCTL_CONCURRENCY}. A value out of range is a usage error while the command line is read.
 */
public final class ConcurrencyOption {

    static final int MAX = 256;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "${env:PROWCTL_CONCURRENCY:-8}",
            converter = Range.class,
            description = "Requests in flight at most, 1 to " + MAX + " (default: ${DEFAULT-VALUE}, env "
                    + "PROWCTL_CONCURRENCY).")
    int concurrency;

    public int value() {
        return concurrency;
    }

    /** Reads a whole number from 1 to {@link #MAX}. */
    static final class Range implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (n < 1 || n > MAX) {
                throw new TypeConversionException("must be between 1 and " + MAX + ", not " + n);
            }
            return n;
        }
    }
}
