package dev.prowctl.scraper.prow;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.prowctl.http.ProgressListener;

/**
 * Reads deck's {@code prowjobs.js} payload ({@code {"items":[...]}} or {@code var NAME = {...};}) as a stream, one
 * item at a time: memory stays at one item whatever the payload size. {@code pod_spec} is walked without being
 * materialised (only {@code containers[0].args} is kept), and what is not read is crossed at byte speed
 * ({@link FastSkipJsonParser}), so a 31 KB {@code CONFIG_SPEC} per item costs little. A large file is read in two
 * halves at once ({@link #readFile}).
 *
 * <p>An item whose fields have the wrong JSON types is skipped and counted; a payload that is not JSON, is
 * malformed or ends early raises {@link PayloadException}.
 */
public final class ProwJobReader {

    private static final JsonFactory FACTORY = new FastSkipJsonParser.Factory();

    /** The only labels scrape reads (see {@link RunDeriver}); the others are skipped undecoded. */
    private static final Set<String> WANTED_LABELS = Set.of(RunDeriver.REHEARSE_LABEL,
            RunDeriver.CLUSTER_PROFILE_LABEL, RunDeriver.VARIANT_LABEL);

    /** What may precede the JSON: a byte order mark (read as bytes) and {@code var NAME =}. */
    private static final java.util.regex.Pattern JS_PREFIX = java.util.regex.Pattern.compile(
            "(?s)(\uFEFF|\u00EF\u00BB\u00BF)?\\s*((var|let|const)\\s+[A-Za-z_$][\\w$]*\\s*=)?");

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
        BufferedInputStream json = new BufferedInputStream(in, 1 << 16);
        skipToJson(json, source);
        try (JsonParser p = FACTORY.createParser(json)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            Pass pass = new Pass(p, source, sink);
            pass.readOn(null);
            return pass.summary(null);
        }
    }

    /**
     * Reads one ProwJob object (a run's {@code prowjob.json} in GCS, as crier's GCS reporter wrote it) into the same
     * model as a payload item, so a run read from GCS becomes exactly the record a payload would give.
     *
     * @throws PayloadException when it is not one JSON object, or the item is unusable (the reason is the message)
     */
    public static ProwJob readOne(byte[] json, String source) throws PayloadException {
        try (JsonParser p = FACTORY.createParser(new ByteArrayInputStream(json))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PayloadException(PayloadException.Problem.MALFORMED, source + " is not a JSON object", null);
            }
            ItemReader item = new ItemReader();
            item.read(p);
            if (item.problem == null) {
                item.problem = item.checkRequired();
            }
            if (item.problem != null) {
                throw new PayloadException(PayloadException.Problem.MALFORMED, source + ": " + item.problem, null);
            }
            if (p.nextToken() != null) {
                throw new PayloadException(PayloadException.Problem.MALFORMED, source
                        + " has more than one JSON value", null);
            }
            return item.toProwJob();
        } catch (PayloadException e) {
            throw e;
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j && j.getOriginalMessage() != null
                    ? j.getOriginalMessage().lines().findFirst().orElse("") : String.valueOf(e.getMessage());
            throw new PayloadException(PayloadException.Problem.MALFORMED, source + " is not valid JSON: " + why, e);
        }
    }

    /**
     * A sink that can take the later items of a payload on another thread: {@link #fork} gives an empty sink of
     * the same kind for them, and {@link #join} then appends what that one collected after this one's items.
     */
    public interface ParallelSink<S extends ParallelSink<S>> extends Consumer<ProwJob> {
        S fork();

        void join(S later);
    }

    /**
     * Reads a payload file like {@link #read}. A large file, read for a {@link ParallelSink} on a machine with more
     * than one core, is read in two halves at once: the second half is parsed speculatively on another thread,
     * into a forked sink, from the first place past the middle that looks like the start of an item
     * ({@code },{}). That guess is used only when the first half's parse ends an item of the {@code items} list
     * exactly there, which proves it an item boundary; otherwise, or when the second half fails, the first parse
     * simply reads on, as {@link #read} would (so errors name the same item).
     */
    static Summary readFile(Path file, Consumer<ProwJob> sink, ProgressListener progress)
            throws IOException {
        return readFile(file, sink, progress, Runtime.getRuntime().availableProcessors() > 1);
    }

    /** {@link #readFile(Path, Consumer, ProgressListener)}, told whether a second core is there. */
    static Summary readFile(Path file, Consumer<ProwJob> sink, ProgressListener progress,
                            boolean secondCore) throws IOException {
        long size = Files.size(file);
        long[] split = sink instanceof ParallelSink<?> && size >= PARALLEL_MIN_BYTES && secondCore
                ? itemStartAfterMiddle(file, size) : null;
        if (split == null) {
            try (InputStream in = new CountingInputStream(Files.newInputStream(file), size, progress)) {
                return read(in, file.toString(), sink);
            }
        }
        return readInHalves(file, size, (ParallelSink<?>) sink, split[0], split[1], progress);
    }

    private static <S extends ParallelSink<S>> Summary readInHalves(Path file, long size, ParallelSink<S> sink,
            long firstEnd, long secondStart, ProgressListener progress) throws IOException {
        String source = file.toString();
        AtomicLong secondRead = new AtomicLong();
        AtomicBoolean abandoned = new AtomicBoolean();
        S later = sink.fork();
        FutureTask<Pass> second = new FutureTask<>(() -> {
            try (InputStream raw = Files.newInputStream(file)) {
                raw.skipNBytes(secondStart); // not counted: the first half's reader counts those bytes
                InputStream tail = new CountingInputStream(raw, size, (done, total) -> secondRead.set(done));
                InputStream json = new SequenceInputStream(
                        new ByteArrayInputStream(SECOND_HALF_PREFIX), new BufferedInputStream(tail, 1 << 16));
                try (JsonParser p = FACTORY.createParser(json)) {
                    Pass pass = new Pass(p, source, later);
                    if (pass.readOn(itemEnd -> abandoned.get())) {
                        throw new CancellationException(); // nobody will use this half
                    }
                    return pass;
                }
            }
        });
        Thread secondThread = new Thread(second, "prowjobs-second-half");
        secondThread.setDaemon(true);
        secondThread.start();
        try (InputStream in = new CountingInputStream(Files.newInputStream(file), size,
                (done, total) -> progress.update(done + (abandoned.get() ? 0 : secondRead.get()), total))) {
            BufferedInputStream json = new BufferedInputStream(in, 1 << 16);
            long jsonStart = skipToJson(json, source);
            try (JsonParser p = FACTORY.createParser(json)) {
                p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
                Pass first = new Pass(p, source, sink);
                boolean atBoundary = first.readOn(itemEnd -> {
                    if (jsonStart + itemEnd > firstEnd) {
                        abandoned.set(true); // the guess was inside an item: this pass reads everything
                    }
                    return jsonStart + itemEnd == firstEnd;
                });
                if (atBoundary) {
                    Pass rest = secondHalf(second);
                    if (rest != null) {
                        sink.join(later);
                        return first.summary(rest);
                    }
                    first.readOn(null);
                }
                return first.summary(null);
            }
        } finally {
            abandoned.set(true);
        }
    }

    /** Files smaller than this are read in one pass: a second thread would not pay for itself. */
    private static final long PARALLEL_MIN_BYTES = 16L << 20;
    /** How far past the middle of a file to look for an item start. */
    private static final int SPLIT_WINDOW = 1 << 20;
    /** Makes the second half of a payload a payload of its own: its items continue this list. */
    private static final byte[] SECOND_HALF_PREFIX = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);

    /** The second half's pass, or null when it failed (the first pass then reads that half itself). */
    private static Pass secondHalf(FutureTask<Pass> second) throws IOException {
        try {
            return second.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading the payload");
        }
    }

    /**
     * {@code [end of the previous item, start of the next]} for the first {@code }, {} (blanks allowed around the
     * comma) past the middle of {@code file}, or null when there is none near it.
     */
    private static long[] itemStartAfterMiddle(Path file, long size) throws IOException {
        ByteBuffer window = ByteBuffer.allocate((int) Math.min(SPLIT_WINDOW, size / 2));
        long from = size / 2;
        try (FileChannel channel = FileChannel.open(file)) {
            while (window.hasRemaining() && channel.read(window, from + window.position()) > 0) {
                // fill the window
            }
        }
        window.flip();
        int closing = -1;
        boolean comma = false;
        for (int i = 0; i < window.limit(); i++) {
            byte b = window.get(i);
            if (b == '}') {
                closing = i;
                comma = false;
            } else if (b == ',' && closing >= 0 && !comma) {
                comma = true;
            } else if (b == '{' && comma) {
                return new long[] {from + closing + 1, from + i};
            } else if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                closing = -1;
                comma = false;
            }
        }
        return null;
    }

    /**
     * Positions the stream at the first {@code {}: skips whitespace, a UTF-8 byte order mark and a JavaScript
     * {@code var NAME =} prefix. The trailing {@code ;} of the var form is never read (parsing stops at the closing
     * brace). An HTML page is recognised by its leading {@code <}. Returns the number of bytes skipped.
     */
    private static long skipToJson(BufferedInputStream in, String source) throws IOException {
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
                if (!before.isEmpty() && !JS_PREFIX.matcher(before).matches()) {
                    throw new PayloadException(PayloadException.Problem.MALFORMED, source
                            + " is not a prowjobs.js payload: unexpected text before the JSON: " + abbreviate(before),
                            null);
                }
                return read - 1L;
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

    /**
     * One parse of a payload's top-level object: finds {@code items}, reads each item, hands the usable ones to
     * the sink, and counts the rest. It can pause after an item and read on later (see {@link #readFile}).
     */
    private static final class Pass {
        private final JsonParser p;
        private final String source;
        private final Consumer<ProwJob> sink;
        private int items;
        private int skipped;
        private int firstProblemItem;
        private String firstProblem;
        private boolean started;
        private boolean inItems;
        private boolean sawItems;

        Pass(JsonParser p, String source, Consumer<ProwJob> sink) {
            this.p = p;
            this.source = source;
            this.sink = sink;
        }

        /**
         * Reads on to the end of the payload and returns false, or pauses after an item when {@code pauseAfter}
         * accepts the parser's byte offset just past it, and returns true.
         */
        boolean readOn(java.util.function.LongPredicate pauseAfter) throws IOException {
            try {
                if (!started) {
                    started = true;
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new PayloadException(PayloadException.Problem.MALFORMED,
                                source + " is not a prowjobs.js payload: it does not start with a JSON object", null);
                    }
                }
                while (true) {
                    if (inItems) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            readItem();
                            if (pauseAfter != null && pauseAfter.test(p.currentLocation().getByteOffset())) {
                                return true;
                            }
                        }
                        inItems = false;
                    }
                    if (p.nextToken() != JsonToken.FIELD_NAME) {
                        break;
                    }
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (field.equals("items") && value == JsonToken.START_ARRAY) {
                        sawItems = true;
                        inItems = true;
                    } else {
                        p.skipChildren();
                    }
                }
                if (!sawItems) {
                    throw new PayloadException(PayloadException.Problem.MALFORMED, source
                            + " payload has no \"items\" list (deck answers {} when it fails to encode its jobs)",
                            null);
                }
                return false;
            } catch (JsonEOFException | EOFException | ProtocolException e) {
                throw truncated(e);
            } catch (JsonProcessingException e) {
                if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input")) {
                    // some parser paths report the end of a cut payload as a plain parse error, not JsonEOFException
                    throw truncated(e);
                }
                throw new PayloadException(PayloadException.Problem.MALFORMED,
                        source + " payload is malformed JSON near item " + Math.max(items, 1) + ": "
                                + e.getOriginalMessage().lines().findFirst().orElse(""), e);
            }
        }

        private PayloadException truncated(Exception cause) {
            String where = !sawItems ? "before its items list"
                    : inItems ? "in item " + Math.max(items, 1) : "after its " + items + " items";
            return new PayloadException(PayloadException.Problem.TRUNCATED, source + " payload is truncated: it ends"
                    + " in the middle of the JSON, " + where + "; nothing was output", cause);
        }

        private void readItem() throws IOException {
            items++;
            ItemReader item = new ItemReader();
            item.read(p);
            if (item.problem == null) {
                item.problem = item.checkRequired();
            }
            if (item.problem != null) {
                skipped++;
                if (firstProblem == null) {
                    firstProblem = item.problem;
                    firstProblemItem = items;
                }
            } else {
                sink.accept(item.toProwJob());
            }
        }

        /** This pass's summary, followed by {@code rest} (a pass over the items after these), if any. */
        Summary summary(Pass rest) {
            if (rest == null) {
                return new Summary(items, skipped, firstProblem == null ? null
                        : "item " + firstProblemItem + ": " + firstProblem);
            }
            String problem = firstProblem != null ? "item " + firstProblemItem + ": " + firstProblem
                    : rest.firstProblem != null ? "item " + (items + rest.firstProblemItem) + ": " + rest.firstProblem
                    : null;
            return new Summary(items + rest.items, skipped + rest.skipped, problem);
        }
    }

    /**
     * Reads one item with the streaming API only (no tree, no databind), keeping the stream in step even when the
     * item's shape is wrong. Values scrape does not use are skipped without being decoded, which keeps the
     * allocation per item to the few strings a run needs.
     */
    private static final class ItemReader {
        String problem;
        String name;
        final Map<String, String> labels = new HashMap<>(4);
        String type;
        String job;
        String cluster;
        ProwJob.Refs refs;
        final List<ProwJob.Refs> extraRefs = new ArrayList<>(1);
        List<String> args = List.of();
        String state;
        String startTime;
        String completionTime;
        String buildId;
        String url;
        String description;

        void read(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                problem = "not a JSON object";
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "metadata" -> readObject(p, "metadata", this::metadataField);
                    case "spec" -> readObject(p, "spec", this::specField);
                    case "status" -> readObject(p, "status", this::statusField);
                    default -> p.skipChildren();
                }
            }
        }

        private void metadataField(JsonParser p, String field) throws IOException {
            switch (field) {
                case "name" -> name = string(p, "metadata", "name");
                case "labels" -> readObject(p, "metadata.labels", (q, key) -> {
                    if (WANTED_LABELS.contains(key)) {
                        String value = string(q, "metadata.labels", key);
                        if (value != null) {
                            labels.put(key, value);
                        }
                    } else {
                        q.skipChildren();
                    }
                });
                default -> p.skipChildren();
            }
        }

        private void specField(JsonParser p, String field) throws IOException {
            switch (field) {
                case "type" -> type = string(p, "spec", "type");
                case "job" -> job = string(p, "spec", "job");
                case "cluster" -> cluster = string(p, "spec", "cluster");
                case "refs" -> refs = p.currentToken() == JsonToken.VALUE_NULL ? null : readRefs(p, "spec.refs");
                case "extra_refs" -> {
                    if (p.currentToken() == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            ProwJob.Refs extra = readRefs(p, "spec.extra_refs[]");
                            if (extra != null) {
                                extraRefs.add(extra);
                            }
                        }
                    } else if (p.currentToken() != JsonToken.VALUE_NULL) {
                        wrong(p, "spec.extra_refs is not a list");
                    }
                }
                case "pod_spec" -> {
                    if (p.currentToken() == JsonToken.START_OBJECT) {
                        readPodSpec(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }

        private void statusField(JsonParser p, String field) throws IOException {
            switch (field) {
                case "state" -> state = string(p, "status", "state");
                case "startTime" -> startTime = string(p, "status", "startTime");
                case "completionTime" -> completionTime = string(p, "status", "completionTime");
                case "build_id" -> buildId = string(p, "status", "build_id");
                case "url" -> url = string(p, "status", "url");
                case "description" -> description = string(p, "status", "description");
                default -> p.skipChildren();
            }
        }

        private ProwJob.Refs readRefs(JsonParser p, String where) throws IOException {
            String[] values = new String[3];
            List<ProwJob.Pull> pulls = new ArrayList<>(1);
            boolean ok = readObject(p, where, (q, field) -> {
                switch (field) {
                    case "org" -> values[0] = string(q, where, "org");
                    case "repo" -> values[1] = string(q, where, "repo");
                    case "base_ref" -> values[2] = string(q, where, "base_ref");
                    case "pulls" -> {
                        if (q.currentToken() != JsonToken.START_ARRAY) {
                            q.skipChildren();
                            return;
                        }
                        while (q.nextToken() != JsonToken.END_ARRAY) {
                            ProwJob.Pull pull = readPull(q, "refs.pulls[]");
                            if (pull != null) {
                                pulls.add(pull);
                            }
                        }
                    }
                    default -> q.skipChildren();
                }
            });
            return ok ? new ProwJob.Refs(values[0], values[1], values[2], pulls) : null;
        }

        private ProwJob.Pull readPull(JsonParser p, String where) throws IOException {
            Integer[] number = new Integer[1];
            String[] values = new String[3];
            boolean ok = readObject(p, where, (q, field) -> {
                switch (field) {
                    case "number" -> {
                        if (q.currentToken() == JsonToken.VALUE_NUMBER_INT
                                && q.getNumberType() == JsonParser.NumberType.INT) {
                            number[0] = q.getIntValue();
                        } else {
                            q.skipChildren();
                        }
                    }
                    case "author" -> values[0] = string(q, where, "author");
                    case "sha" -> values[1] = string(q, where, "sha");
                    case "link" -> values[2] = string(q, where, "link");
                    default -> q.skipChildren();
                }
            });
            return ok ? new ProwJob.Pull(number[0], values[0], values[1], values[2]) : null;
        }

        /** Keeps the {@code --target=} and {@code --variant=} args of {@code containers[0]}; skips the rest. */
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
                List<String> values = new ArrayList<>(2);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        String arg = p.getText();
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

        /** Calls {@code onField} for each field of the object at the current token; false when it is no object. */
        private boolean readObject(JsonParser p, String where, FieldHandler onField) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                wrong(p, where + " is not an object");
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                onField.accept(p, field);
            }
            return true;
        }

        /**
         * A scalar as text; null for JSON null; an object or array marks the item unusable ({@code parent.field}
         * names it; joined only then, as this runs for every field of every item).
         */
        private String string(JsonParser p, String parent, String field) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token.isScalarValue()) {
                String text = p.getText();
                return text.isEmpty() ? null : text;
            }
            wrong(p, parent + "." + field + " is not a string");
            return null;
        }

        private void wrong(JsonParser p, String what) throws IOException {
            p.skipChildren();
            if (problem == null) {
                problem = what;
            }
        }

        String checkRequired() {
            return job == null ? "no spec.job" : null;
        }

        ProwJob toProwJob() {
            return new ProwJob(name, labels, type, job, cluster, refs, extraRefs, args, state, startTime,
                    completionTime, buildId, url, description);
        }
    }

    @FunctionalInterface
    private interface FieldHandler {
        void accept(JsonParser p, String field) throws IOException;
    }
}
