package dev.prowctl.scraper.prow;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads deck's {@code prowjobs.js} payload ({@code {"items":[...]}} or {@code var NAME = {...};}) as a stream, one
 * item at a time: memory stays at one item whatever the payload size. {@code pod_spec} is walked without being
 * materialised (only {@code containers[0].args} is kept), so a 31 KB {@code CONFIG_SPEC} per item costs nothing.
 *
 * <p>An item whose fields have the wrong JSON types is skipped and counted; a payload that is not JSON, is
 * malformed or ends early raises {@link PayloadException}.
 */
public final class ProwJobReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    /** What was read: {@code items} seen in total, of which {@code skipped} were unusable (first reason given). */
    public record Summary(int items, int skipped, String firstProblem) {
    }

    private ProwJobReader() {
    }

    /**
     * Parses {@code in} (not closed here) and hands every usable item to {@code sink}, in payload order.
     *
     * @param source names the payload in error messages ("deck", a file name)
     */
    public static Summary read(InputStream in, String source, Consumer<ProwJob> sink) throws IOException {
        InputStream json = skipToJson(new BufferedInputStream(in, 1 << 16), source);
        int items = 0;
        int skipped = 0;
        String firstProblem = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PayloadException(PayloadException.Problem.MALFORMED,
                        source + " is not a prowjobs.js payload: it does not start with a JSON object", null);
            }
            boolean sawItems = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("items") || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                sawItems = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items++;
                    ItemReader item = new ItemReader();
                    item.read(p);
                    if (item.problem == null) {
                        item.problem = item.checkRequired();
                    }
                    if (item.problem != null) {
                        skipped++;
                        if (firstProblem == null) {
                            firstProblem = "item " + items + ": " + item.problem;
                        }
                    } else {
                        sink.accept(item.toProwJob());
                    }
                }
            }
            if (!sawItems) {
                throw new PayloadException(PayloadException.Problem.MALFORMED,
                        source + " payload has no \"items\" list (deck answers {} when it fails to encode its jobs)",
                        null);
            }
        } catch (JsonEOFException | EOFException | ProtocolException e) {
            throw truncated(source, items, e);
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input")) {
                // databind's tree reader reports the end of a cut payload as a mismatch, not as JsonEOFException
                throw truncated(source, items, e);
            }
            throw new PayloadException(PayloadException.Problem.MALFORMED,
                    source + " payload is malformed JSON near item " + Math.max(items, 1) + ": "
                            + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        return new Summary(items, skipped, firstProblem);
    }

    private static PayloadException truncated(String source, int items, Exception cause) {
        return new PayloadException(PayloadException.Problem.TRUNCATED, source + " payload is truncated: it ends in the"
                + " middle of the JSON, in item " + Math.max(items, 1) + "; nothing was output", cause);
    }

    /**
     * Positions the stream at the first {@code {}: skips whitespace, a UTF-8 byte order mark and a JavaScript
     * {@code var NAME =} prefix. The trailing {@code ;} of the var form is never read (parsing stops at the closing
     * brace). An HTML page is recognised by its leading {@code <}.
     */
    private static InputStream skipToJson(BufferedInputStream in, String source) throws IOException {
        in.mark(4096);
        int read = 0;
        int c;
        StringBuilder prefix = new StringBuilder();
        while ((c = in.read()) != -1 && read < 4096) {
            read++;
            if (c == '{') {
                in.reset();
                long toSkip = read - 1L;
                while (toSkip > 0) {
                    toSkip -= in.skip(toSkip);
                }
                String before = prefix.toString().strip();
                if (!before.isEmpty() && !before.matches("(?s)(\uFEFF|\u00EF\u00BB\u00BF)?\\s*((var|let|const)\\s+[A-Za-z_$][\\w$]*\\s*=)?")) {
                    throw new PayloadException(PayloadException.Problem.MALFORMED, source
                            + " is not a prowjobs.js payload: unexpected text before the JSON: " + abbreviate(before),
                            null);
                }
                return in;
            }
            if (c == '<' && prefix.toString().isBlank()) {
                throw new PayloadException(PayloadException.Problem.HTML, source
                        + " returned an HTML page, not prowjobs.js: is the URL a deck?", null);
            }
            prefix.append((char) c);
        }
        if (read == 0 && c == -1) {
            throw new PayloadException(PayloadException.Problem.TRUNCATED, source + " payload is empty", null);
        }
        throw new PayloadException(PayloadException.Problem.MALFORMED,
                source + " is not a prowjobs.js payload: no JSON object in its first bytes: "
                        + abbreviate(prefix.toString().strip()), null);
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 60 ? oneLine.substring(0, 60) + "..." : oneLine;
    }

    /** Reads one item, keeping the stream in step even when the item's shape is wrong. */
    private static final class ItemReader {
        String problem;
        JsonNode metadata;
        JsonNode status;
        JsonNode type;
        JsonNode job;
        JsonNode cluster;
        JsonNode refs;
        JsonNode extraRefs;
        List<String> args = List.of();

        void read(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                problem = "not a JSON object";
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "metadata" -> metadata = p.readValueAsTree();
                    case "status" -> status = p.readValueAsTree();
                    case "spec" -> {
                        if (value == JsonToken.START_OBJECT) {
                            readSpec(p);
                        } else {
                            p.skipChildren();
                            problem = "spec is not an object";
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }

        private void readSpec(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.readValueAsTree();
                    case "job" -> job = p.readValueAsTree();
                    case "cluster" -> cluster = p.readValueAsTree();
                    case "refs" -> refs = p.readValueAsTree();
                    case "extra_refs" -> extraRefs = p.readValueAsTree();
                    case "pod_spec" -> {
                        if (value == JsonToken.START_OBJECT) {
                            readPodSpec(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }

        /** Keeps {@code containers[0].args}; skips everything else without building it. */
        private void readPodSpec(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("containers") || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                boolean first = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (first && p.currentToken() == JsonToken.START_OBJECT) {
                        readContainer(p);
                    } else {
                        p.skipChildren();
                    }
                    first = false;
                }
            }
        }

        private void readContainer(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("args") || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                List<String> values = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        String arg = p.getText();
                        // only the flags scrape derives from; other args may be long (embedded configs)
                        if (arg.startsWith("--target=") || arg.startsWith("--variant=")) {
                            values.add(arg);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                args = values;
            }
        }

        String checkRequired() {
            if (job == null || !job.isTextual() || job.textValue().isEmpty()) {
                return "no spec.job";
            }
            if (type != null && !type.isTextual()) {
                return "spec.type is not a string";
            }
            if (metadata != null && !metadata.isObject() || status != null && !status.isObject()) {
                return "metadata or status is not an object";
            }
            if (metadata != null && metadata.has("labels") && !metadata.get("labels").isObject()) {
                return "metadata.labels is not an object";
            }
            if (refs != null && !refs.isNull() && !refs.isObject()) {
                return "spec.refs is not an object";
            }
            if (extraRefs != null && !extraRefs.isNull() && !extraRefs.isArray()) {
                return "spec.extra_refs is not a list";
            }
            return null;
        }

        ProwJob toProwJob() {
            Map<String, String> labels = new LinkedHashMap<>();
            JsonNode labelNode = metadata == null ? null : metadata.get("labels");
            if (labelNode != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = labelNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> label = it.next();
                    labels.put(label.getKey(), label.getValue().asText());
                }
            }
            List<ProwJob.Refs> extra = new ArrayList<>();
            if (extraRefs != null && extraRefs.isArray()) {
                for (JsonNode r : extraRefs) {
                    if (r.isObject()) {
                        extra.add(refs(r));
                    }
                }
            }
            return new ProwJob(text(metadata, "name"), labels, text(type), text(job), text(cluster),
                    refs != null && refs.isObject() ? refs(refs) : null, extra, args,
                    text(status, "state"), text(status, "startTime"), text(status, "completionTime"),
                    text(status, "build_id"), text(status, "url"), text(status, "description"));
        }

        private static ProwJob.Refs refs(JsonNode node) {
            List<ProwJob.Pull> pulls = new ArrayList<>();
            JsonNode pullNodes = node.get("pulls");
            if (pullNodes != null && pullNodes.isArray()) {
                for (JsonNode pull : pullNodes) {
                    JsonNode number = pull.get("number");
                    Integer n = number != null && number.canConvertToInt() && number.isIntegralNumber()
                            ? number.intValue() : null;
                    pulls.add(new ProwJob.Pull(n, text(pull, "author"), text(pull, "sha"), text(pull, "link")));
                }
            }
            return new ProwJob.Refs(text(node, "org"), text(node, "repo"), text(node, "base_ref"), pulls);
        }

        private static String text(JsonNode parent, String field) {
            return parent == null ? null : text(parent.get(field));
        }

        private static String text(JsonNode node) {
            if (node == null || node.isNull() || node.isContainerNode()) {
                return null;
            }
            String value = node.asText();
            return value.isEmpty() ? null : value;
        }
    }
}
