package dev.prowctl.stack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Grafana 12.2 does to a PromQL panel or variable query before Prometheus sees it.
 * <ol>
 * <li>Frontend ({@code @grafana/prometheus}, {@code interpolateQueryExpr} with the feature toggle
 * {@code prometheusSpecialCharsInLabelValues} off, the default): a variable that is neither multi-value nor has
 * "All" (a text box) has backslashes doubled and {@code '} escaped; any other variable has backslashes quadrupled and
 * {@code $^*{}[]+?.()|} preceded by two backslashes (one for the PromQL string, one for the regex), several values
 * joined as {@code (a|b)}. "All" with a custom all value inserts that value unescaped.</li>
 * <li>Backend ({@code pkg/promlib/models/query.go}, {@code InterpolateVariables}): {@code $__interval} is the
 * calculated step in Grafana's short form ({@code 5m}), {@code $__range} the range in whole seconds plus {@code s},
 * {@code $__rate_interval} is {@code max($__interval + scrape interval, 4 x scrape interval)} in Go's duration form
 * ({@code 20m0s}), the scrape interval being the datasource's {@code timeInterval}.</li>
 * <li>The step: the range divided by the panel's max data points, rounded by Grafana's {@code roundInterval}
 * table, at least the datasource's {@code timeInterval}; range queries run from start to end aligned down to it.</li>
 * </ol>
 */
final class GrafanaPromInterpolation {

    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?]]|\\$\\{(\\w+)(?::([^}]+))?}");
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[$^*{}\\[\\]+?.()|]");
    private static final String ALL = "$__all";

    /** A dashboard variable: {@code value} a String or a List of Strings, {@code "$__all"} for "All". */
    record Variable(String name, boolean multi, boolean includeAll, String allValue, Object value,
            List<String> options) {
    }

    /** A time range, the step Grafana runs a range query with, and the datasource's scrape interval. */
    record Timing(long fromSeconds, long toSeconds, Duration step, Duration scrapeInterval) {
        /** As Grafana computes it for a panel {@code maxDataPoints} wide. */
        static Timing of(long fromSeconds, long toSeconds, int maxDataPoints, Duration scrapeInterval) {
            Duration calculated = Duration.ofMillis((toSeconds - fromSeconds) * 1000 / maxDataPoints);
            Duration step = calculated.compareTo(scrapeInterval) < 0 ? round(scrapeInterval) : round(calculated);
            Duration safe = round(Duration.ofMillis((toSeconds - fromSeconds) * 1000 / 11_000));
            return new Timing(fromSeconds, toSeconds, step.compareTo(safe) < 0 ? safe : step, scrapeInterval);
        }

        Duration rateInterval() {
            Duration plusScrape = step.plus(scrapeInterval);
            Duration fourScrapes = scrapeInterval.multipliedBy(4);
            return plusScrape.compareTo(fourScrapes) > 0 ? plusScrape : fourScrapes;
        }

        long alignedStart() {
            return Math.floorDiv(fromSeconds, step.toSeconds()) * step.toSeconds();
        }

        long alignedEnd() {
            return Math.floorDiv(toSeconds, step.toSeconds()) * step.toSeconds();
        }
    }

    private GrafanaPromInterpolation() {
    }

    static String query(String promql, Map<String, Variable> variables, Timing timing) {
        return backend(frontend(promql, variables), timing);
    }

    static String frontend(String promql, Map<String, Variable> variables) {
        Matcher matcher = VARIABLE.matcher(promql);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1)
                    : matcher.group(2) != null ? matcher.group(2) : matcher.group(4);
            String format = matcher.group(3) != null ? matcher.group(3) : matcher.group(5);
            Variable variable = variables.get(name);
            String replacement = variable == null ? matcher.group() : format(variable, format);
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    static String backend(String promql, Timing timing) {
        long range = timing.toSeconds() - timing.fromSeconds();
        Duration rate = timing.rateInterval();
        String out = promql;
        out = both(out, "__interval_ms", String.valueOf(timing.step().toMillis()));
        out = both(out, "__interval", formatInterval(timing.step()));
        out = both(out, "__range_ms", String.valueOf(range * 1000));
        out = both(out, "__range_s", String.valueOf(range));
        out = both(out, "__range", range + "s");
        out = both(out, "__rate_interval_ms", String.valueOf(rate.toMillis()));
        return both(out, "__rate_interval", goDuration(rate));
    }

    private static String both(String promql, String name, String value) {
        return promql.replace("$" + name, value).replace("${" + name + "}", value);
    }

    private static String format(Variable variable, String format) {
        Object value = variable.value();
        if (ALL.equals(value) || value instanceof List<?> list && !list.isEmpty() && ALL.equals(list.get(0))) {
            if (variable.allValue() != null && !variable.allValue().isEmpty()) {
                return variable.allValue();
            }
            value = variable.options();
        }
        if (format != null && !format.equals("regex")) {
            throw new UnsupportedOperationException("format :" + format + " is not modelled here");
        }
        if (!variable.multi() && !variable.includeAll()) {
            return regularEscape(text(value));
        }
        if (value instanceof String single) {
            return specialRegexEscape(single);
        }
        List<String> values = ((List<?>) value).stream().map(v -> specialRegexEscape(String.valueOf(v))).toList();
        return values.size() == 1 ? values.get(0) : "(" + String.join("|", values) + ")";
    }

    static String regularEscape(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\\\'");
    }

    static String specialRegexEscape(String value) {
        return REGEX_SPECIAL.matcher(value.replace("\\", "\\\\\\\\")).replaceAll("\\\\\\\\$0");
    }

    private static String text(Object value) {
        return value instanceof String single ? single
                : String.join(",", ((List<?>) value).stream().map(String::valueOf).toList());
    }

    /** gtime.FormatInterval: the largest whole unit. */
    static String formatInterval(Duration d) {
        if (d.toDays() >= 365) {
            return d.toDays() / 365 + "y";
        }
        if (d.toDays() >= 1) {
            return d.toDays() + "d";
        }
        if (d.toHours() >= 1) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() >= 1) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() >= 1 ? d.toSeconds() + "s" : Math.max(1, d.toMillis()) + "ms";
    }

    /** Go's time.Duration.String() for whole seconds: 20m0s, 1h0m0s, 45s. */
    static String goDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s / 3600 + "h" + s % 3600 / 60 + "m" + s % 60 + "s";
    }

    /** Grafana's roundInterval (gtime), from 1 s up. */
    static Duration round(Duration interval) {
        long ms = interval.toMillis();
        long[][] table = {{1500, 1000}, {3500, 2000}, {7500, 5000}, {12500, 10000}, {17500, 15000},
                {25000, 20000}, {45000, 30000}, {90000, 60000}, {210000, 120000}, {450000, 300000},
                {750000, 600000}, {1050000, 900000}, {1500000, 1200000}, {2700000, 1800000}, {5400000, 3600000},
                {9000000, 7200000}, {16200000, 10800000}, {32400000, 21600000}, {86400000, 43200000},
                {604800000, 86400000}, {1814400000, 604800000}};
        for (long[] row : table) {
            if (ms <= row[0]) {
                return Duration.ofMillis(row[1]);
            }
        }
        return ms < 3628800000L ? Duration.ofMillis(2592000000L) : Duration.ofMillis(31536000000L);
    }
}
