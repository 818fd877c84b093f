package dev.prowctl.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes text safe and short enough for one IRC line: no CR, LF or NUL (they would end the line and let an alert
 * inject an IRC command), and no line longer than the server accepts, counted in UTF-8 bytes.
 */
public final class IrcText {

    /** RFC 1459: 512 bytes per line including the trailing CR LF. */
    public static final int MAX_LINE_BYTES = 510;

    /** Separates alerts packed into one line when a burst outruns the pace. */
    static final String SEPARATOR = " | ";

    private IrcText() {
    }

    /** CR, LF and NUL become spaces; other C0 controls (IRC colour codes excepted) are dropped. */
    public static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                out.append(' ');
            } else if (c < 0x20 && c != 0x02 && c != 0x03 && c != 0x0f && c != 0x16 && c != 0x1d && c != 0x1f) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Splits {@code text} into pieces of at most {@code maxBytes} UTF-8 bytes, never inside a character (surrogate
     * pairs stay together); concatenated, the pieces are the text.
     */
    public static List<String> split(String text, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("maxBytes too small: " + maxBytes);
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + width > maxBytes) {
                pieces.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += width;
            i += Character.charCount(codePoint);
        }
        if (start < text.length() || pieces.isEmpty()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    /** One line to send and how many of the batch's messages are complete once it is sent. */
    record Line(String text, int messagesDone) {
    }

    /**
     * Lays out a batch as IRC lines of at most {@code maxBytes}: one message per line (split when too long), or, when
     * {@code coalesce} is set, as many whole messages per line as fit, joined by {@value #SEPARATOR}.
     */
    static List<Line> layout(List<String> messages, int maxBytes, boolean coalesce) {
        return layout(messages, maxBytes, coalesce, Integer.MAX_VALUE);
    }

    /** As {@link #layout(List, int, boolean)}, with at most {@code maxLines} lines per message ({@link #cap}). */
    static List<Line> layout(List<String> messages, int maxBytes, boolean coalesce, int maxLines) {
        List<Line> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentBytes = 0;
        int separatorBytes = utf8Length(SEPARATOR);
        for (int index = 0; index < messages.size(); index++) {
            String message = sanitize(messages.get(index)).strip();
            if (message.isEmpty()) {
                message = "(empty alert)";
            }
            int bytes = utf8Length(message);
            if (coalesce && current.length() > 0 && currentBytes + separatorBytes + bytes <= maxBytes) {
                current.append(SEPARATOR).append(message);
                currentBytes += separatorBytes + bytes;
                continue;
            }
            if (current.length() > 0) {
                lines.add(new Line(current.toString(), index));
                current.setLength(0);
                currentBytes = 0;
            }
            List<String> pieces = cap(message, split(message, maxBytes), maxLines, maxBytes);
            for (int p = 0; p < pieces.size() - 1; p++) {
                lines.add(new Line(pieces.get(p), index));
            }
            String last = pieces.get(pieces.size() - 1);
            if (coalesce) {
                current.append(last);
                currentBytes = utf8Length(last);
            } else {
                lines.add(new Line(last, index + 1));
            }
        }
        if (current.length() > 0) {
            lines.add(new Line(current.toString(), messages.size()));
        }
        return lines;
    }

    /**
     * At most {@code maxLines} pieces: when there are more, the last kept line says how many were cut and points to
     * the alert's link (its last http(s) URL), where the whole text is.
     */
    static List<String> cap(String message, List<String> pieces, int maxLines, int maxBytes) {
        if (pieces.size() <= maxLines || maxLines < 1) {
            return pieces;
        }
        List<String> kept = new ArrayList<>(pieces.subList(0, maxLines - 1));
        int cut = pieces.size() - kept.size();
        String url = lastUrl(message);
        String note = "\u2026 (+" + cut + " lines" + (url == null ? ")" : ", see " + url + ")");
        kept.add(split(note, maxBytes).get(0));
        return kept;
    }

    private static String lastUrl(String message) {
        String[] words = message.split(" ");
        for (int i = words.length - 1; i >= 0; i--) {
            if (words[i].startsWith("https://") || words[i].startsWith("http://")) {
                return words[i];
            }
        }
        return null;
    }

    /**
     * Groups lines into windows of at most {@code maxLines} lines and {@code maxBytes} bytes of text (a longer line
     * is a window of its own), in order: each window is confirmed by the server before the next is sent.
     */
    static List<List<Line>> windows(List<Line> lines, int maxLines, int maxBytes) {
        List<List<Line>> windows = new ArrayList<>();
        List<Line> window = new ArrayList<>();
        int windowBytes = 0;
        for (Line line : lines) {
            int bytes = utf8Length(line.text());
            if (!window.isEmpty() && (window.size() == maxLines || windowBytes + bytes > maxBytes)) {
                windows.add(window);
                window = new ArrayList<>();
                windowBytes = 0;
            }
            window.add(line);
            windowBytes += bytes;
        }
        if (!window.isEmpty()) {
            windows.add(window);
        }
        return windows;
    }
}
