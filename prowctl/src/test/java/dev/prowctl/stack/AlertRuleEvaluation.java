package dev.prowctl.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evaluates a provisioned Grafana-managed rule the way Grafana's server-side expressions do, for the expression
 * types the stack's rules use: datasource queries (answered by a {@link Datasource}), {@code reduce} with
 * {@code last}, and {@code math} with {@code $REF}, numbers, {@code + - * /}, comparisons, {@code && ||} and
 * parentheses; series are joined on their labels. A rule fires for every series whose condition value is not 0;
 * when every datasource query answers no series, the rule is in Grafana's NoData state.
 */
final class AlertRuleEvaluation {

    /** Series by their labels (e.g. "job_name=x"; "" for none), each with its last value. */
    interface Datasource {
        Map<String, Double> query(String influxql, long fromSeconds) throws Exception;
    }

    /** What a rule's evaluation gives: the labels of the firing series, or no data at all. */
    record Result(boolean noData, TreeSet<String> firing) {
    }

    private AlertRuleEvaluation() {
    }

    static Result evaluate(JsonNode rule, Datasource datasource) throws Exception {
        Map<String, Map<String, Double>> refs = new LinkedHashMap<>();
        boolean anyData = false;
        for (JsonNode query : rule.path("data")) {
            String refId = query.path("refId").asText();
            JsonNode model = query.path("model");
            if (!query.path("datasourceUid").asText().equals("__expr__")) {
                Map<String, Double> series = datasource.query(model.path("query").asText(),
                        query.path("relativeTimeRange").path("from").asLong());
                anyData |= !series.isEmpty();
                refs.put(refId, series);
                continue;
            }
            String type = model.path("type").asText();
            switch (type) {
                case "reduce" -> {
                    if (!model.path("reducer").asText().equals("last")) {
                        throw new UnsupportedOperationException("reducer " + model.path("reducer"));
                    }
                    refs.put(refId, refs.get(model.path("expression").asText()));
                }
                case "math" -> refs.put(refId, new MathExpression(model.path("expression").asText(), refs).parse());
                default -> throw new UnsupportedOperationException("expression type " + type);
            }
        }
        if (!anyData) {
            return new Result(true, new TreeSet<>());
        }
        TreeSet<String> firing = new TreeSet<>();
        refs.get(rule.path("condition").asText()).forEach((labels, value) -> {
            if (value != 0 && !value.isNaN()) {
                firing.add(labels);
            }
        });
        return new Result(false, firing);
    }

    /** A recursive-descent parser for Grafana's math expressions, evaluating as it parses. */
    private static final class MathExpression {
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Map<String, Double>> refs;
        private int pos;

        MathExpression(String text, Map<String, Map<String, Double>> refs) {
            this.refs = refs;
            var m = java.util.regex.Pattern.compile("\\s*(\\$\\w+|\\d+(?:\\.\\d+)?|&&|\\|\\||[<>=!]=|[-+*/()<>])")
                    .matcher(text);
            int end = 0;
            while (m.lookingAt()) {
                tokens.add(m.group(1));
                end = m.end();
                m.region(end, text.length());
            }
            if (!text.substring(end).isBlank()) {
                throw new IllegalArgumentException("math expression not understood at: " + text.substring(end));
            }
        }

        Map<String, Double> parse() {
            Map<String, Double> value = or();
            if (pos != tokens.size()) {
                throw new IllegalArgumentException("trailing tokens in math expression: " + tokens);
            }
            return value;
        }

        private Map<String, Double> or() {
            Map<String, Double> left = and();
            while (accept("||")) {
                left = join(left, and(), (a, b) -> a != 0 || b != 0 ? 1 : 0);
            }
            return left;
        }

        private Map<String, Double> and() {
            Map<String, Double> left = comparison();
            while (accept("&&")) {
                left = join(left, comparison(), (a, b) -> a != 0 && b != 0 ? 1 : 0);
            }
            return left;
        }

        private Map<String, Double> comparison() {
            Map<String, Double> left = sum();
            for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
                if (accept(op)) {
                    DoubleBinaryOperator f = switch (op) {
                        case ">=" -> (a, b) -> a >= b ? 1 : 0;
                        case "<=" -> (a, b) -> a <= b ? 1 : 0;
                        case "==" -> (a, b) -> a == b ? 1 : 0;
                        case "!=" -> (a, b) -> a != b ? 1 : 0;
                        case ">" -> (a, b) -> a > b ? 1 : 0;
                        default -> (a, b) -> a < b ? 1 : 0;
                    };
                    return join(left, sum(), f);
                }
            }
            return left;
        }

        private Map<String, Double> sum() {
            Map<String, Double> left = product();
            while (true) {
                if (accept("+")) {
                    left = join(left, product(), Double::sum);
                } else if (accept("-")) {
                    left = join(left, product(), (a, b) -> a - b);
                } else {
                    return left;
                }
            }
        }

        private Map<String, Double> product() {
            Map<String, Double> left = atom();
            while (true) {
                if (accept("*")) {
                    left = join(left, atom(), (a, b) -> a * b);
                } else if (accept("/")) {
                    left = join(left, atom(), (a, b) -> a / b);
                } else {
                    return left;
                }
            }
        }

        private Map<String, Double> atom() {
            if (pos >= tokens.size()) {
                throw new IllegalArgumentException("math expression ends early: " + tokens);
            }
            String token = tokens.get(pos++);
            if (token.equals("(")) {
                Map<String, Double> inner = or();
                if (!accept(")")) {
                    throw new IllegalArgumentException("missing ) in " + tokens);
                }
                return inner;
            }
            if (token.startsWith("$")) {
                Map<String, Double> ref = refs.get(token.substring(1));
                if (ref == null) {
                    throw new IllegalArgumentException("math expression refers to unknown " + token);
                }
                return ref;
            }
            return Map.of(SCALAR, Double.parseDouble(token));
        }

        private boolean accept(String token) {
            if (pos < tokens.size() && tokens.get(pos).equals(token)) {
                pos++;
                return true;
            }
            return false;
        }
    }

    /** A number in an expression: joins with every series. */
    private static final String SCALAR = "\u0000scalar";

    /** Series with the same labels are combined; a scalar combines with each; the rest are dropped. */
    private static Map<String, Double> join(Map<String, Double> left, Map<String, Double> right,
            DoubleBinaryOperator op) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (right.containsKey(SCALAR)) {
            left.forEach((k, v) -> out.put(k, op.applyAsDouble(v, right.get(SCALAR))));
        } else if (left.containsKey(SCALAR)) {
            right.forEach((k, v) -> out.put(k, op.applyAsDouble(left.get(SCALAR), v)));
        } else {
            left.forEach((k, v) -> {
                if (right.containsKey(k)) {
                    out.put(k, op.applyAsDouble(v, right.get(k)));
                }
            });
        }
        return out;
    }
}
