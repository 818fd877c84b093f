package dev.prowctl.scraper.prow;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;

/**
 * Jackson's UTF-8 stream parser with a faster way past values nobody reads. A deck payload is mostly
 * {@code pod_spec} (a rehearsal's {@code CONFIG_SPEC} alone is a 31 KB string with an escape every few bytes), and
 * scrape reads almost none of it; Jackson tokenizes every byte of what {@link #skipChildren()} skips and decodes
 * every escape of a string it skips. Here both are a plain byte scan: strings are crossed eight bytes at a time
 * looking only for quotes (one preceded by an odd number of backslashes is escaped), and a skipped object or array
 * is crossed by counting brackets.
 *
 * <p>The skipped bytes are checked for what keeps the stream in step: strings end, brackets match ({@code ]} never
 * closes a {@code {}), and the input does not end inside them (a {@link com.fasterxml.jackson.core.io.JsonEOFException},
 * as Jackson raises). The rest of their grammar (commas, colons, number syntax, escapes) is not checked, since
 * nothing is read from them. Everything that is read goes through Jackson unchanged.
 */
final class FastSkipJsonParser extends UTF8StreamJsonParser {

    /** Reads 8 bytes of a {@code byte[]} as one {@code long}, for the word-at-a-time string scan. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    /** Bigger than Jackson's 8,000-byte default: fewer refills on payloads of hundreds of MB. */
    private static final int BUFFER_SIZE = 1 << 16;
    /** Nesting the bracket check tracks exactly (one bit per level); deeper levels are only counted. */
    private static final int TRACKED_DEPTH = Long.SIZE;

    private FastSkipJsonParser(IOContext context, int features, InputStream in, ByteQuadsCanonicalizer names) {
        super(context, features, in, null, names, new byte[BUFFER_SIZE], 0, 0, 0, false);
    }

    /** A {@link JsonFactory} whose byte-stream parsers are {@link FastSkipJsonParser}s (the input must be UTF-8). */
    static final class Factory extends JsonFactory {
        private static final long serialVersionUID = 1L;

        @Override
        protected JsonParser _createParser(InputStream in, IOContext context) {
            return new FastSkipJsonParser(context, _parserFeatures, in,
                    _byteSymbolCanonicalizer.makeChild(_factoryFeatures));
        }
    }

    /** Crosses the current object or array without tokenizing it; the current token becomes its end marker. */
    @Override
    public JsonParser skipChildren() throws IOException {
        JsonToken start = _currToken;
        if (start != JsonToken.START_OBJECT && start != JsonToken.START_ARRAY) {
            return this;
        }
        long objects = start == JsonToken.START_OBJECT ? 1 : 0; // bit i: level i is an object (else an array)
        int depth = 1;
        while (true) {
            byte[] buffer = _inputBuffer;
            int end = _inputEnd;
            int ptr = _inputPtr;
            while (ptr < end) {
                byte c = buffer[ptr++];
                if (c == '"') {
                    _inputPtr = ptr;
                    skipStringBody();
                    buffer = _inputBuffer;
                    end = _inputEnd;
                    ptr = _inputPtr;
                } else if (c == '{' || c == '[') {
                    if (depth < TRACKED_DEPTH) {
                        objects = c == '{' ? objects | (1L << depth) : objects & ~(1L << depth);
                    }
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth < TRACKED_DEPTH && ((objects >>> depth & 1) == 1) != (c == '}')) {
                        _inputPtr = ptr;
                        _reportUnexpectedChar(c, "mismatched close marker");
                    }
                    if (depth == 0) {
                        _inputPtr = ptr;
                        _parsingContext = _parsingContext.clearAndGetParent();
                        _currToken = c == '}' ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
                        return this;
                    }
                }
            }
            _inputPtr = end;
            if (!_loadMore()) {
                _reportInvalidEOF(": expected close marker for " + (start == JsonToken.START_OBJECT ? "Object"
                        : "Array"), null);
            }
        }
    }

    /**
     * A string value that is plain ASCII (no escape, no control character) and ends in the buffer becomes a String
     * by one copy of its bytes. Jackson decodes every string into a char array and then compresses that back into
     * a Latin-1 String, and without C2 (the launcher runs C1 only) those per-char loops were a sixth of a scrape.
     * Anything else is left to Jackson.
     */
    @Override
    public String getText() throws IOException {
        if (_currToken == JsonToken.VALUE_STRING && _tokenIncomplete) {
            byte[] buffer = _inputBuffer;
            int start = _inputPtr;
            int end = _inputEnd;
            for (int i = start; i < end; i++) {
                byte c = buffer[i];
                if (c == '"') {
                    String text = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                    _inputPtr = i + 1;
                    _tokenIncomplete = false;
                    _textBuffer.resetWithString(text); // what Jackson's other accessors read for this token
                    return text;
                }
                if (c == '\\' || c < 0x20) { // an escape, a control character, or (negative) a non-ASCII byte
                    break;
                }
            }
        }
        return super.getText();
    }

    /** Jackson decodes every escape of a string it skips; only the closing quote matters. */
    @Override
    protected void _skipString() throws IOException {
        _tokenIncomplete = false;
        skipStringBody();
    }

    /** Moves past the closing quote of the string whose opening quote was just read. */
    private void skipStringBody() throws IOException {
        boolean escapePending = false; // a backslash ended the previous buffer: its first byte is escaped
        while (true) {
            byte[] buffer = _inputBuffer;
            int end = _inputEnd;
            int ptr = _inputPtr;
            if (escapePending && ptr < end) {
                ptr++;
                escapePending = false;
            }
            int quote = closingQuote(buffer, ptr, end);
            if (quote >= 0) {
                _inputPtr = quote + 1;
                return;
            }
            escapePending = quote == ESCAPE_PENDING;
            _inputPtr = end;
            if (!_loadMore()) {
                _reportInvalidEOF(": was expecting closing quote for a string value", JsonToken.VALUE_STRING);
            }
        }
    }

    /**
     * Which byte of a word a single high bit marks (bit 8k+7 gives k): the multiplication moves byte 7-k of
     * 0x0001020304050607, which holds k, to the top. {@code Long.numberOfTrailingZeros} would do, but it is a call
     * under C1, the launcher's only compiler.
     */
    private static int byteIndex(long highBit) {
        return (int) ((highBit >>> 7) * 0x0001020304050607L >>> 56);
    }

    /** {@link #closingQuote}'s answer when the buffer ends in the middle of an escape (a lone backslash). */
    private static final int ESCAPE_PENDING = -2;

    /**
     * Index of the first unescaped {@code "} in {@code buffer[from, end)} ({@code from} not escaped); else -1, or
     * {@link #ESCAPE_PENDING} when the buffer ends in the middle of an escape. Only quotes are searched for, eight
     * bytes at a time; a quote counts when an even number of backslashes precedes it. Escapes elsewhere (a
     * CONFIG_SPEC has a {@code \n} every dozen bytes) then cost nothing.
     */
    private static int closingQuote(byte[] buffer, int from, int end) {
        int i = from;
        while (true) {
            int quote = nextQuote(buffer, i, end);
            if (quote == end) {
                return (backslashesBefore(buffer, end, from) & 1) == 1 ? ESCAPE_PENDING : -1;
            }
            if ((backslashesBefore(buffer, quote, from) & 1) == 0) {
                return quote;
            }
            i = quote + 1;
        }
    }

    /** Index of the first {@code "} in {@code buffer[from, end)}, or {@code end}. */
    private static int nextQuote(byte[] buffer, int from, int end) {
        int i = from;
        while (i + Long.BYTES <= end) {
            long quotes = (long) WORD.get(buffer, i) ^ QUOTES;
            // a byte of (x - 0x01) & ~x has its high bit set where x's byte is zero; the lowest such bit is exact
            long hits = (quotes - ONES) & ~quotes & HIGH_BITS;
            if (hits != 0) {
                return i + byteIndex(hits & -hits);
            }
            i += Long.BYTES;
        }
        while (i < end && buffer[i] != '"') {
            i++;
        }
        return i;
    }

    /** How many backslashes directly precede {@code at}, looking no further back than {@code from}. */
    private static int backslashesBefore(byte[] buffer, int at, int from) {
        int i = at;
        while (i > from && buffer[i - 1] == '\\') {
            i--;
        }
        return at - i;
    }
}
