package dev.prowctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void escapeSequencesAndControlCharactersAreRemoved() {
        String hostile = "job\u001b]0;pwned\u0007 \u001b[2J\u001b[31mred\u001b[0m\u0000\u007f\u009b1;2H\u001bcend\ttab";

        assertThat(TerminalText.oneLine(hostile)).isEqualTo("job redend\ttab");
    }

    @Test
    void oneLineRemovesLineBreaksAndMultiLineKeepsNewlinesOnly() {
        assertThat(TerminalText.oneLine("a\r\nforged: line")).isEqualTo("aforged: line");
        assertThat(TerminalText.multiLine("a\r\nb\n")).isEqualTo("a\nb\n");
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        String plain = "périodique ✓ job-1\tok";
        assertThat(TerminalText.oneLine(plain)).isSameAs(plain);
        assertThat(TerminalText.oneLine(null)).isNull();
    }

    @Test
    void anUnterminatedSequenceEndsTheText() {
        assertThat(TerminalText.oneLine("ok\u001b]0;title never ends")).isEqualTo("ok");
        assertThat(TerminalText.oneLine("ok\u001b")).isEqualTo("ok");
        assertThat(TerminalText.oneLine("ok\u001b[")).isEqualTo("ok");
    }
}
