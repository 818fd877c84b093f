package dev.prowctl.scraper.prow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FastSkipJsonParser} must see exactly what Jackson's own parser sees, whatever it skipped and wherever the
 * input's reads happen to end (escapes split across two reads included).
 */
class FastSkipJsonParserTest {

    private static final JsonFactory JACKSON = new JsonFactory();
    private static final JsonFactory FAST = new FastSkipJsonParser.Factory();

    @ParameterizedTest(name = "reads of at most {0} bytes")
    @ValueSource(ints = {1, 3, 7, 8, 9, 64, 65_536})
    void seesWhatJacksonSeesWhateverItSkips(int readSize) throws IOException {
        Random random = new Random(20261128L + readSize);
        for (int doc = 0; doc < 300; doc++) {
            String json = randomValue(random, 0);
            long skipSeed = random.nextLong();
            List<String> expected = walk(JACKSON.createParser(json.getBytes(StandardCharsets.UTF_8)), skipSeed);
            List<String> actual = walk(FAST.createParser(new ChunkedInput(json, readSize)), skipSeed);
            assertThat(actual).as(json).isEqualTo(expected);
        }
    }

    @Test
    void crossesEscapesThatStraddleWordsAndReads() throws IOException {
        // every alignment of a backslash run before a quote, inside a skipped string and a skipped object
        for (int pad = 0; pad < 17; pad++) {
            for (int backslashes = 0; backslashes <= 4; backslashes += 2) {
                String text = "x".repeat(pad) + "\\\\".repeat(backslashes / 2) + "\\\"#]\\\\\\\"";
                String json = "{\"skip\":\"" + text + "\",\"obj\":{\"a\":[\"" + text + "\",{}]},\"keep\":\"k\"}";
                for (int readSize : new int[] {1, 2, 5, 8, 13}) {
                    try (JsonParser p = FAST.createParser(new ChunkedInput(json, readSize))) {
                        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                        assertThat(p.nextFieldName()).isEqualTo("skip");
                        assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING); // left unread: skipped
                        assertThat(p.nextFieldName()).as(json).isEqualTo("obj");
                        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                        p.skipChildren();
                        assertThat(p.nextFieldName()).as(json).isEqualTo("keep");
                        assertThat(p.nextTextValue()).isEqualTo("k");
                        assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
                    }
                    assertThat(walk(FAST.createParser(new ChunkedInput(json, readSize)), pad))
                            .isEqualTo(walk(JACKSON.createParser(json), pad));
                }
            }
        }
    }

    @Test
    void textReadFromTheBufferIsWhatJacksonsOtherAccessorsSee() throws IOException {
        try (JsonParser p = FAST.createParser(new ChunkedInput("[\"plain ascii\",\"caf\u00e9\",\"a\\tb\"]", 64))) {
            p.nextToken();
            for (String expected : List.of("plain ascii", "caf\u00e9", "a\tb")) {
                assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
                assertThat(p.getText()).isEqualTo(expected);
                assertThat(p.getText()).isEqualTo(expected);
                assertThat(new String(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())).isEqualTo(expected);
                assertThat(p.getValueAsString()).isEqualTo(expected);
            }
            assertThat(p.nextToken()).isEqualTo(JsonToken.END_ARRAY);
        }
    }

    @Test
    void aRawControlCharacterInAReadStringIsStillJacksonsError() throws IOException {
        try (JsonParser p = FAST.createParser(new ChunkedInput("[\"tab\there\"]", 64))) {
            p.nextToken();
            p.nextToken();
            assertThatThrownBy(p::getText).isInstanceOf(JsonParseException.class)
                    .hasMessageContaining("Illegal unquoted character");
        }
    }

    @Test
    void anInputThatEndsInsideASkippedValueIsTruncated() throws IOException {
        for (String cut : List.of("{\"a\":{\"b\":[1,2", "{\"a\":{\"b\":\"abc\\", "{\"a\":{\"b\":\"abc")) {
            try (JsonParser p = FAST.createParser(new ChunkedInput(cut, 4))) {
                assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
                assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
                assertThatThrownBy(p::skipChildren).as(cut).isInstanceOf(JsonEOFException.class);
            }
        }
    }

    @Test
    void aSkippedValueWithMismatchedBracketsIsMalformed() throws IOException {
        try (JsonParser p = FAST.createParser(new ChunkedInput("{\"a\":{\"b\":[1,2}}}", 64))) {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            assertThatThrownBy(p::skipChildren).isInstanceOf(JsonParseException.class)
                    .hasMessageContaining("mismatched close marker");
        }
    }

    @Test
    void bracketsAndQuotesInsideSkippedStringsAreText() throws IOException {
        String json = "{\"pod_spec\":{\"env\":[{\"value\":\"}]}{[\\\"\\\\\"}]},\"after\":1}";
        try (JsonParser p = FAST.createParser(new ChunkedInput(json, 3))) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThat(p.skipChildren().currentToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
            assertThat(p.currentName()).isEqualTo("after");
            assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
            assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(p.nextToken()).isNull();
        }
    }

    /**
     * The tokens a consumer sees when it skips some objects and arrays below the root (chosen by {@code skipSeed},
     * the same for both parsers), and the text of every scalar it reads.
     */
    private static List<String> walk(JsonParser parser, long skipSeed) throws IOException {
        Random skips = new Random(skipSeed);
        List<String> seen = new ArrayList<>();
        try (JsonParser p = parser) {
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
                        && !p.getParsingContext().getParent().inRoot() && skips.nextInt(3) == 0) {
                    p.skipChildren();
                    seen.add("skipped to " + p.currentToken());
                } else if (token == JsonToken.VALUE_STRING && skips.nextInt(2) == 0) {
                    seen.add("unread string"); // Jackson then skips it lazily (_skipString)
                } else {
                    seen.add(token + (token.isScalarValue() || token == JsonToken.FIELD_NAME ? " " + p.getText()
                            : ""));
                }
            }
        }
        return seen;
    }

    private static String randomValue(Random random, int depth) {
        int kind = depth > 5 ? 3 + random.nextInt(4) : random.nextInt(7);
        switch (kind) {
            case 0, 1 -> {
                StringBuilder object = new StringBuilder("{");
                int fields = random.nextInt(5);
                for (int i = 0; i < fields; i++) {
                    object.append(i == 0 ? "" : ",").append(randomString(random)).append(':')
                            .append(randomValue(random, depth + 1));
                }
                return object.append('}').toString();
            }
            case 2 -> {
                StringBuilder array = new StringBuilder("[");
                int items = random.nextInt(5);
                for (int i = 0; i < items; i++) {
                    array.append(i == 0 ? "" : ",").append(randomValue(random, depth + 1));
                }
                return array.append(']').toString();
            }
            case 3, 4 -> {
                return randomString(random);
            }
            case 5 -> {
                return String.valueOf(random.nextInt(2000) - 1000);
            }
            default -> {
                return List.of("true", "false", "null", "1.5e3").get(random.nextInt(4));
            }
        }
    }

    /** A JSON string literal heavy in what the skipper must get right: escapes, quotes, brackets, UTF-8. */
    private static String randomString(Random random) {
        String[] pieces = {"a", "b", "x", "\\\"", "\\\\", "\\n", "\\u00e9", "é", "日本", "😀", "{", "}", "[", "]", ",",
                ":", " ", "#", "\\/", "\\t"};
        StringBuilder text = new StringBuilder("\"");
        int length = random.nextInt(4) == 0 ? 40 + random.nextInt(200) : random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.append('"').toString();
    }

    /** Serves a text's UTF-8 bytes at most {@code readSize} at a time, so buffer ends fall anywhere. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream bytes;
        private final int readSize;

        ChunkedInput(String text, int readSize) {
            this.bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            this.readSize = readSize;
        }

        @Override
        public int read() throws IOException {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return bytes.read(buffer, offset, Math.min(length, readSize));
        }
    }
}
