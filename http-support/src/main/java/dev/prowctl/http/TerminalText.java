package dev.prowctl.http;

/**
 * The one defence against text from a payload or a server taking over a terminal: ANSI/VT escape sequences (CSI,
 * OSC, and other ESC sequences), C0 controls except tab, DEL and C1 controls are removed before such text is
 * printed in a message, a log line or a human-readable output. Line breaks are removed too, so a quoted value
 * cannot forge a second message line; {@link #multiLine} keeps them where a text is meant to have lines.
 */
public final class TerminalText {

    private static final char ESC = 0x1b;
    private static final char BEL = 0x07;

    private TerminalText() {
    }

    /** {@code text} safe to print on one line (null stays null). */
    public static String oneLine(String text) {
        return clean(text, false);
    }

    /** {@code text} safe to print, keeping its line breaks ({@code \n}; a {@code \r} is removed). */
    public static String multiLine(String text) {
        return clean(text, true);
    }

    private static String clean(String text, boolean keepNewlines) {
        if (text == null || isPlain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ESC || c == 0x9b || c == 0x9d) {
                i = skipSequence(text, i);
                continue;
            }
            if (c == '\t' || (c == '\n' && keepNewlines) || !isControl(c)) {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && isControl(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
    }

    /** The index after the escape sequence that starts at {@code start}. */
    private static int skipSequence(String text, int start) {
        char c = text.charAt(start);
        int i = start + 1;
        char kind = c == ESC ? (i < text.length() ? text.charAt(i) : 0) : (c == 0x9b ? '[' : ']');
        if (c == ESC) {
            i++;
        }
        if (kind == '[') {
            // CSI: parameter and intermediate bytes, then one final byte in @..~
            while (i < text.length() && (text.charAt(i) < 0x40 || text.charAt(i) > 0x7e)) {
                i++;
            }
            return Math.min(text.length(), i + 1);
        }
        if (kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X') {
            // OSC, DCS, APC, PM, SOS: up to BEL or ST (ESC \)
            while (i < text.length()) {
                char d = text.charAt(i);
                if (d == BEL || d == 0x9c) {
                    return i + 1;
                }
                if (d == ESC && i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                    return i + 2;
                }
                i++;
            }
            return i;
        }
        // a two-character sequence (ESC c, ESC 7, ...) or a lone ESC at the end
        return Math.min(text.length(), c == ESC ? i : start + 1);
    }
}
