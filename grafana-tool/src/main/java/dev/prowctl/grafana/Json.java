package dev.prowctl.grafana;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.prowctl.http.TerminalText;

/**
 * The one JSON mapper of the Grafana code, and the canonical file form: keys sorted at every level, two-space
 * indentation, '\n' line ends and a trailing newline, so exporting an unchanged Grafana twice gives the same bytes.
 */
public final class Json {

    /**
     * How deep JSON may nest, for every document the Grafana code reads (import files, secrets files, Grafana's
     * answers). Dashboards and alert rules nest about a dozen levels; deeper input is refused as malformed before
     * any recursive walk over it could overflow the stack.
     */
    public static final int MAX_NESTING = 100;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build()).build());

    private static final ObjectWriter CANONICAL = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses JSON text; malformed text is an {@link IOException}-free {@link IllegalArgumentException}. */
    public static JsonNode parse(byte[] bytes) {
        return parse(bytes, true);
    }

    /**
     * Parses a document that holds secrets: the error names only where the text is wrong, never what it says
     * (Jackson quotes the offending token, which may be a password).
     */
    public static JsonNode parseSecret(byte[] bytes) {
        return parse(bytes, false);
    }

    private static JsonNode parse(byte[] bytes, boolean quote) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty document");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("not valid JSON: nested deeper than " + MAX_NESTING + " levels", e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + (quote ? "" : ", column " + e.getLocation().getColumnNr());
            // Without quoting, drop the cause too: its message holds the text that did not parse.
            throw quote ? new IllegalArgumentException("not valid JSON: "
                    + TerminalText.oneLine(e.getOriginalMessage()) + where, e)
                    : new IllegalArgumentException("not valid JSON" + where);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical file bytes of {@code node}: sorted keys, stable indentation, trailing newline. */
    public static byte[] canonicalBytes(JsonNode node) {
        try {
            return (CANONICAL.writeValueAsString(sorted(node)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deep copy of {@code node} with the keys of every object in sorted order. */
    public static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode copy = object();
            for (String name : names) {
                copy.set(name, sorted(node.get(name)));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = array();
            node.forEach(e -> copy.add(sorted(e)));
            return copy;
        }
        return node;
    }

    /** Removes the named fields from an object, at the top level only. */
    public static ObjectNode without(JsonNode node, String... fields) {
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.remove(List.of(fields));
        return copy;
    }

    /**
     * True when every field of {@code wanted} has an equal value in {@code actual}. Grafana adds defaults to what
     * it stores, so a file's content counts as "unchanged" when the server has at least what the file says.
     */
    public static boolean containsAll(JsonNode actual, JsonNode wanted) {
        if (actual == null || !actual.isObject()) {
            return false;
        }
        for (Iterator<String> it = wanted.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            JsonNode expected = wanted.get(name);
            JsonNode got = actual.get(name);
            if (got == null) {
                if (!isEmpty(expected)) {
                    return false;
                }
            } else if (!numericAwareEquals(got, expected)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(JsonNode node) {
        return node.isNull() || (node.isContainerNode() && node.isEmpty())
                || (node.isTextual() && node.textValue().isEmpty()) || (node.isBoolean() && !node.booleanValue());
    }

    /** Deep equality where 1 and 1.0 are the same number (Grafana re-encodes numbers). */
    public static boolean numericAwareEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!b.has(name) || !numericAwareEquals(a.get(name), b.get(name))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!numericAwareEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The text of a field, or "" when absent or null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
