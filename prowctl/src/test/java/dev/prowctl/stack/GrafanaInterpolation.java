package dev.prowctl.stack;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Grafana 12.2 does to a raw InfluxQL panel query before InfluxDB sees it, step for step, so that a dashboard
 * query that Grafana turns into "No data" fails a test here too.
 * <ol>
 * <li>Frontend ({@code public/app/plugins/datasource/influxdb/datasource.ts}, {@code applyVariables} and
 * {@code interpolateQueryExpr}, as changed by grafana/grafana PR #105194 (11.6.4, 12.0.3) and #111853): every
 * {@code $var}, {@code [[var]]}, {@code ${var}} or {@code ${var:format}} is replaced. An explicit format wins;
 * otherwise a numeric value stays as it is, a multi-value variable is regex-escaped and joined as
 * {@code (a|b)}, and a single-value variable is regex-escaped when the query has a {@code =~ /.../} holding
 * {@code $var}. "All" with a custom all value inserts that value unescaped (template_srv / scenes
 * {@code CustomAllValue}). {@code $__interval} and {@code $timeFilter} are left for the backend.</li>
 * <li>Backend ({@code pkg/tsdb/influxdb/influxql/models/query.go}, {@code Build}): {@code $timeFilter} becomes
 * {@code time >= FROMms and time <= TOms}, then {@code $interval}, {@code $__interval_ms}, {@code $__interval}.</li>
 * </ol>
 */
final class GrafanaInterpolation {

    /** template_srv's variable syntax: {@code $name}, {@code [[name:format]]}, {@code ${name.path:format}}. */
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?]]|\\$\\{(\\w+)(?:\\.([^:^}]+))?(?::([^}]+))?}");

    /** The datasource's "regexes within the query string" matcher, verbatim. */
    private static final Pattern REGEX_IN_QUERY = Pattern.compile("(\\s*(=|!)~\\s*)/((?![*+?])(?:[^\\r\\n\\[/\\\\]"
            + "|\\\\.|\\[(?:[^\\r\\n\\]\\\\]|\\\\.)*])+)/((?:g(?:im?|mi?)?|i(?:gm?|mg?)?|m(?:gi?|ig?)?)?)");

    /** JavaScript's parseFloat accepts any string that starts with a number. */
    private static final Pattern PARSE_FLOAT = Pattern.compile("\\s*[+-]?(Infinity|(\\d+\\.?\\d*|\\.\\d+)"
            + "([eE][+-]?\\d+)?)");

    /** The values @grafana/data's escapeRegex puts a backslash before. */
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$*+?.()|\\[\\]{}/]");

    private static final String ALL = "$__all";

    /**
     * A dashboard variable as the frontend holds it: {@code value} is a String (text box, single value) or a
     * List of Strings (multi value), {@code "$__all"} or {@code ["$__all"]} for "All"; {@code options} are the
     * values "All" stands for when there is no custom all value.
     */
    record Variable(String name, boolean multi, boolean includeAll, String allValue, Object value,
            List<String> options) {
        Variable withValue(Object newValue) {
            return new Variable(name, multi, includeAll, allValue, newValue, options);
        }
    }

    private GrafanaInterpolation() {
    }

    /** The query as InfluxDB receives it from Grafana 12.2. */
    static String query(String influxql, Map<String, Variable> variables, long fromMs, long toMs,
            String intervalText, long intervalMs) {
        return backend(frontend(influxql, variables), fromMs, toMs, intervalText, intervalMs);
    }

    /** The frontend's templateSrv.replace with the InfluxDB datasource's format function. */
    static String frontend(String influxql, Map<String, Variable> variables) {
        Matcher matcher = VARIABLE.matcher(influxql);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = first(matcher.group(1), matcher.group(2), matcher.group(4));
            String format = first(matcher.group(3), matcher.group(6));
            Variable variable = variables.get(name);
            // unknown names ($timeFilter, $__interval: the backend's) stay as they are
            String replacement = variable == null ? matcher.group() : format(variable, format, influxql);
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The backend's macro replacement, in its order. */
    static String backend(String influxql, long fromMs, long toMs, String intervalText, long intervalMs) {
        return influxql.replace("$timeFilter", "time >= " + fromMs + "ms and time <= " + toMs + "ms")
                .replace("$interval", intervalText)
                .replace("$__interval_ms", String.valueOf(intervalMs))
                .replace("$__interval", intervalText);
    }

    /** escapeRegex of @grafana/data. */
    static String escapeRegex(String value) {
        return REGEX_SPECIAL.matcher(value).replaceAll("\\\\$0");
    }

    private static String format(Variable variable, String format, String query) {
        Object value = variable.value();
        if (ALL.equals(value) || value instanceof List<?> list && !list.isEmpty() && ALL.equals(list.get(0))) {
            if (variable.allValue() != null && !variable.allValue().isEmpty() && !"text".equals(format)
                    && !"percentencode".equals(format)) {
                return variable.allValue();
            }
            value = variable.options();
        }
        if (format == null) {
            return datasourceFormat(variable, value, query);
        }
        return switch (format) {
            case "raw" -> text(value);
            case "regex" -> value instanceof String single ? escapeRegex(single) : alternatives(value);
            case "pipe" -> value instanceof String single ? single : String.join("|", strings(value));
            case "csv" -> value instanceof String single ? single : String.join(",", strings(value));
            default -> throw new UnsupportedOperationException("format :" + format + " is not modelled here");
        };
    }

    /** interpolateQueryExpr of the InfluxDB datasource. */
    private static String datasourceFormat(Variable variable, Object value, String query) {
        if (value instanceof String single && PARSE_FLOAT.matcher(single).lookingAt()) {
            return single;
        }
        if (variable.multi()) {
            return value instanceof String single ? escapeRegex(single) : "(" + escapedJoin(value) + ")";
        }
        Pattern usedInRegex = Pattern.compile("/(?:\\^)?(.*)(\\$" + variable.name() + ")(.*)(?:\\$)?/");
        Matcher regexes = REGEX_IN_QUERY.matcher(query);
        while (regexes.find()) {
            if (usedInRegex.matcher(regexes.group()).find()) {
                return value instanceof String single ? escapeRegex(single) : "(" + escapedJoin(value) + ")";
            }
        }
        return text(value);
    }

    /** The regex format's multi-value form: one value alone, several as {@code (a|b)}. */
    private static String alternatives(Object value) {
        String joined = escapedJoin(value);
        return strings(value).size() == 1 ? joined : "(" + joined + ")";
    }

    private static String escapedJoin(Object value) {
        return strings(value).stream().map(GrafanaInterpolation::escapeRegex).collect(Collectors.joining("|"));
    }

    /** JavaScript's String(value): an array becomes its elements joined by commas. */
    private static String text(Object value) {
        return value instanceof String single ? single : String.join(",", strings(value));
    }

    private static List<String> strings(Object value) {
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    private static String first(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
