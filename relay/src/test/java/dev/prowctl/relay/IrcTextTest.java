package dev.prowctl.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class IrcTextTest {

    @Test
    void crLfAndNulBecomeSpaces() {
        assertThat(IrcText.sanitize("a\r\nQUIT :x\0b\tc")).isEqualTo("a  QUIT :x b c");
    }

    @Test
    void splitKeepsMultiByteCharactersWholeAndEveryPieceWithinTheLimit() {
        String text = "x" + "😀€é".repeat(100);
        List<String> pieces = IrcText.split(text, 50);
        assertThat(String.join("", pieces)).isEqualTo(text);
        for (String piece : pieces) {
            assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(50);
            assertThat(piece).doesNotContain("\uFFFD");
            assertThat(Character.isHighSurrogate(piece.charAt(piece.length() - 1))).isFalse();
        }
        assertThat(pieces.get(0).getBytes(StandardCharsets.UTF_8).length).isGreaterThan(45);
        assertThatThrownBy(() -> IrcText.split("abc", 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void layoutOneMessagePerLineOrCoalescedWithProgressPerLine() {
        List<String> messages = List.of("aaaa", "bbbb", "c".repeat(25), "dddd");
        assertThat(IrcText.layout(messages, 10, false)).containsExactly(
                new IrcText.Line("aaaa", 1), new IrcText.Line("bbbb", 2), new IrcText.Line("cccccccccc", 2),
                new IrcText.Line("cccccccccc", 2), new IrcText.Line("ccccc", 3), new IrcText.Line("dddd", 4));
        assertThat(IrcText.layout(messages, 11, true)).containsExactly(
                new IrcText.Line("aaaa | bbbb", 2), new IrcText.Line("ccccccccccc", 2),
                new IrcText.Line("ccccccccccc", 2), new IrcText.Line("ccc | dddd", 4));
    }

    @Test
    void windowsHoldAtMostSoManyLinesAndBytesAndALongerLineAlone() {
        IrcText.Line a = new IrcText.Line("aaaa", 1);
        IrcText.Line b = new IrcText.Line("bbbb", 2);
        IrcText.Line c = new IrcText.Line("cccc", 3);
        IrcText.Line big = new IrcText.Line("x".repeat(20), 4);
        assertThat(IrcText.windows(List.of(a, b, c), 2, 100)).containsExactly(List.of(a, b), List.of(c));
        assertThat(IrcText.windows(List.of(a, b, c), 4, 8)).containsExactly(List.of(a, b), List.of(c));
        assertThat(IrcText.windows(List.of(a, big, c), 4, 10)).containsExactly(List.of(a), List.of(big), List.of(c));
        assertThat(IrcText.windows(List.of(), 4, 10)).isEmpty();
    }

    @Test
    void aLongAlertIsCutToItsLineLimitWithACountAndItsLink() {
        String alert = "x".repeat(95) + " https://grafana.example/d/1";
        List<IrcText.Line> lines = IrcText.layout(List.of(alert, "next"), 10, false, 3);
        assertThat(lines).extracting(IrcText.Line::text).containsExactly("xxxxxxxxxx", "xxxxxxxxxx",
                "\u2026 (+11 l", "next");
        assertThat(lines).extracting(IrcText.Line::messagesDone).containsExactly(0, 0, 1, 2);
        List<IrcText.Line> roomy = IrcText.layout(List.of(alert), 40, false, 2);
        assertThat(roomy).extracting(IrcText.Line::text).containsExactly("x".repeat(40),
                "\u2026 (+3 lines, see https://grafana.examp");
        assertThat(IrcText.layout(List.of("a".repeat(30)), 10, false, 3)).hasSize(3);
    }
}
