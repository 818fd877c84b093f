package dev.prowctl.cli;

import java.io.IOException;
import java.io.Writer;

import dev.prowctl.http.Redaction;
import dev.prowctl.http.TerminalText;

/**
 * stderr as every command writes to it: each line passes {@link Redaction#text} and {@link TerminalText#oneLine}
 * before it reaches the terminal or a log. The commands already say what they print with care; this is the one
 * place that makes sure, whatever a library message, a server's answer or a stack trace quotes, that no secret
 * of a URL is printed and no escape sequence takes over the terminal. Lines end at {@code \n}, and at {@code \r},
 * with which the progress line redraws itself; a flush passes on the part of a line written so far.
 */
final class SafeStderr extends Writer {

    private final Writer target;
    private final StringBuilder line = new StringBuilder();

    SafeStderr(Writer target) {
        super(target);
        this.target = target;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        synchronized (lock) {
            for (int i = offset; i < offset + length; i++) {
                char c = chars[i];
                if (c == '\n' || c == '\r') {
                    passLine();
                    target.write(c);
                } else {
                    line.append(c);
                }
            }
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (lock) {
            passLine();
            target.flush();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            flush();
            target.close();
        }
    }

    private void passLine() throws IOException {
        if (line.length() > 0) {
            target.write(TerminalText.oneLine(Redaction.text(line.toString())));
            line.setLength(0);
        }
    }
}
