package dev.prowctl.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.prowctl.testing.TestEnv;

/**
 * The alerting provisioning files of {@code grafana/provisioning/alerting/} as Grafana 12.2 reads them: every string
 * value goes through {@code pkg/services/provisioning/values} ({@code interpolateValue}: split on {@code $$}, Go's
 * {@code os.ExpandEnv} on each part, joined with a literal {@code $}), with the grafana service's environment of
 * docker-compose.yml (its {@code ${NAME:-default}} defaults, or overrides a test gives).
 */
final class AlertProvisioning {

    static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern COMPOSE_DEFAULT = Pattern.compile("^\\s+(PROWCTL_\\w+): \"\\$\\{\\1:-([^}]*)}\"$",
            Pattern.MULTILINE);
    /** From "  grafana:" to the next service (a line indented by two spaces) or the end. */
    private static final Pattern GRAFANA_SERVICE = Pattern.compile("(?ms)^  grafana:\\n.*?(?=^  \\S|^\\S|\\z)");

    private AlertProvisioning() {
    }

    static Path dir() {
        return TestEnv.repoDir().resolve("grafana/provisioning/alerting");
    }

    /** The PROWCTL_* variables docker-compose.yml gives the grafana service, with their defaults. */
    static Map<String, String> composeDefaults() {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            String compose = java.nio.file.Files.readString(TestEnv.repoDir().resolve("docker-compose.yml"));
            Matcher service = GRAFANA_SERVICE.matcher(compose);
            if (!service.find()) {
                throw new AssertionError("no grafana service in docker-compose.yml");
            }
            Matcher m = COMPOSE_DEFAULT.matcher(service.group());
            while (m.find()) {
                env.put(m.group(1), m.group(2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    /** A provisioning file, parsed and interpolated as Grafana does with {@code env}. */
    static JsonNode load(String file, Map<String, String> env) {
        try {
            return interpolate(YAML.readTree(dir().resolve(file).toFile()), env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode load(String file) {
        return load(file, composeDefaults());
    }

    private static JsonNode interpolate(JsonNode node, Map<String, String> env) {
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText(), env));
        }
        if (node.isArray()) {
            ArrayNode out = YAML.createArrayNode();
            node.forEach(item -> out.add(interpolate(item, env)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = YAML.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.set(field.getKey(), interpolate(field.getValue(), env));
            }
            return out;
        }
        return node;
    }

    /** values.interpolateValue: "$$" is a literal "$", the rest is os.ExpandEnv. */
    static String interpolate(String value, Map<String, String> env) {
        String[] parts = value.split("\\$\\$", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('$');
            }
            out.append(expandEnv(parts[i], env));
        }
        return out.toString();
    }

    /** Go's os.Expand with getShellName, unset variables empty. */
    static String expandEnv(String s, Map<String, String> env) {
        StringBuilder buf = new StringBuilder();
        int i = 0;
        for (int j = 0; j < s.length(); j++) {
            if (s.charAt(j) == '$' && j + 1 < s.length()) {
                buf.append(s, i, j);
                String rest = s.substring(j + 1);
                String name;
                int width;
                if (rest.charAt(0) == '{') {
                    if (rest.length() > 2 && special(rest.charAt(1)) && rest.charAt(2) == '}') {
                        name = rest.substring(1, 2);
                        width = 3;
                    } else {
                        int close = rest.indexOf('}');
                        name = close > 1 ? rest.substring(1, close) : "";
                        width = close == -1 ? 1 : close + 1;
                    }
                } else if (special(rest.charAt(0))) {
                    name = rest.substring(0, 1);
                    width = 1;
                } else {
                    int k = 0;
                    while (k < rest.length() && (Character.isLetterOrDigit(rest.charAt(k)) && rest.charAt(k) < 128
                            || rest.charAt(k) == '_')) {
                        k++;
                    }
                    name = rest.substring(0, k);
                    width = k;
                }
                if (name.isEmpty() && width == 0) {
                    buf.append('$'); // "$" before something that is not a name stays
                } else if (!name.isEmpty()) {
                    buf.append(env.getOrDefault(name, ""));
                }
                j += width;
                i = j + 1;
            }
        }
        return buf.append(s.substring(Math.min(i, s.length()))).toString();
    }

    private static boolean special(char c) {
        return "*#$@!?-".indexOf(c) >= 0 || c >= '0' && c <= '9';
    }
}
