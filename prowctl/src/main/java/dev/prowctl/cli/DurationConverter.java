package dev.prowctl.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one duration syntax of every option: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, combinations such as
 * {@code 1m30s} (as Telegraf and Go write them), a plain number of seconds, or ISO-8601 {@code PT30S}.
 */
public class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Pattern COMPOUND = Pattern.compile("((\\d+)(ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** The same syntax where zero means "not at all" (e.g. {@code relay --grace 0}: stop without waiting). */
    public static final class ZeroAllowed extends DurationConverter {
        public ZeroAllowed() {
            super(true);
        }
    }

    private final boolean zeroAllowed;

    public DurationConverter() {
        this(false);
    }

    private DurationConverter(boolean zeroAllowed) {
        this.zeroAllowed = zeroAllowed;
    }

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
        Duration duration;
        if (m.matches()) {
            duration = of(Long.parseLong(m.group(1)), m.group(2) == null ? "s" : m.group(2));
        } else if (COMPOUND.matcher(text).matches()) {
            duration = Duration.ZERO;
            for (Matcher part = PART.matcher(text); part.find(); ) {
                duration = duration.plus(of(Long.parseLong(part.group(1)), part.group(2)));
            }
        } else {
            try {
                duration = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (e.g. 30s, 5m, 500ms)");
            }
        }
        if (duration.isNegative() || duration.isZero() && !zeroAllowed) {
            throw new TypeConversionException("'" + value + "' must be a positive duration");
        }
        return duration;
    }

    private static Duration of(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
