package dev.fwpolicy.engine.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What counts as policy text, judged the same for bytes and strings (docs/language.md, "Text"). */
class SourceFileTest {

    private static SourceFile bytes(String prefix, int[] raw, String suffix) {
        var head = prefix.getBytes(StandardCharsets.UTF_8);
        var tail = suffix.getBytes(StandardCharsets.UTF_8);
        var all = new byte[head.length + raw.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        for (int i = 0; i < raw.length; i++) all[head.length + i] = (byte) raw[i];
        System.arraycopy(tail, 0, all, head.length + raw.length, tail.length);
        return SourceFile.decode("f", all);
    }

    @Test
    void aByteThatIsNotUtf8IsLocatedByLineAndColumn() {
        var f = bytes("policy p {\n  # caf", new int[] {0xff}, "\n}\n");
        assertThat(f.encodingProblems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(8);
            assertThat(p.message()).contains("0xff").contains("not UTF-8");
        });
        assertThat(f.text()).isEqualTo("policy p {\n  # caf\uFFFD\n}\n");
    }

    @Test
    void columnsCountCharactersNotBytes() {
        // 'é' is two bytes; the bad byte after it is still the 4th character of the line.
        var f = bytes("# é", new int[] {0xc3}, "\n");
        assertThat(f.encodingProblems()).singleElement().satisfies(p -> assertThat(p.column()).isEqualTo(4));
    }

    @Test
    void aTruncatedSequenceAtTheEndIsReported() {
        var f = bytes("# x", new int[] {0xe2, 0x82}, "");
        assertThat(f.encodingProblems()).singleElement().satisfies(p -> assertThat(p.message()).contains("0xe2 0x82"));
    }

    @Test
    void aUtf8ByteOrderMarkIsDroppedFromBytesAndStrings() {
        var fromBytes = bytes("", new int[] {0xef, 0xbb, 0xbf}, "policy p {}\n");
        assertThat(fromBytes.text()).isEqualTo("policy p {}\n");
        assertThat(fromBytes.encodingProblemCount()).isZero();
        var fromString = new SourceFile("f", "\uFEFFpolicy p {}\n");
        assertThat(fromString).isEqualTo(fromBytes);
    }

    @Test
    void utf16IsOneClearProblem() {
        var f = bytes("", new int[] {0xff, 0xfe, 'p', 0, 'o', 0}, "");
        assertThat(f.encodingProblems()).singleElement().satisfies(p -> assertThat(p.message()).contains("UTF-16"));
    }

    @Test
    void crlfAndTabsAreAcceptedButLoneCarriageReturnsAndControlCharactersAreNot() {
        assertThat(new SourceFile("f", "policy p {\r\n\tinbound { allow }\r\n}\r\n").encodingProblemCount()).isZero();
        var cr = new SourceFile("f", "# one\rallow\n");
        assertThat(cr.encodingProblems()).singleElement().satisfies(p -> {
            assertThat(p.column()).isEqualTo(6);
            assertThat(p.message()).contains("carriage return");
        });
        var nul = new SourceFile("f", "policy p {\n  \"a\u0000b\"\n}");
        assertThat(nul.encodingProblems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(5);
            assertThat(p.message()).contains("U+0000");
        });
        assertThat(new SourceFile("f", "#\u001b[31m\n").encodingProblems()).hasSize(1);
        assertThat(new SourceFile("f", "#\u007f\n").encodingProblems()).hasSize(1);
        assertThat(new SourceFile("f", "\"\u009b2J\"\n").encodingProblems()).hasSize(1);
    }

    @Test
    void bidirectionalOverridesAreProblemsOtherUnicodeIsNot() {
        var f = new SourceFile("f", "# café ☕ 日本\n# admin\u202E \u2066x\u2069\n");
        assertThat(f.encodingProblems()).extracting(EncodingProblem::line, EncodingProblem::column)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 8), org.assertj.core.groups.Tuple.tuple(2, 10),
                        org.assertj.core.groups.Tuple.tuple(2, 12));
    }

    @Test
    void anUnpairedSurrogateInAStringIsAProblem() {
        var f = new SourceFile("f", "# \uD800 alone\n# \uD83D\uDE00 paired\n");
        assertThat(f.encodingProblems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).contains("U+D800");
        });
    }

    @Test
    void aBinaryFileKeepsTheFirstProblemsAndCountsTheRest() {
        var raw = new int[5000];
        java.util.Arrays.fill(raw, 0xff);
        var f = bytes("", raw, "");
        assertThat(f.encodingProblems()).hasSize(TextDecoder.MAX_KEPT);
        assertThat(f.encodingProblemCount()).isEqualTo(5000);
        assertThat(f.encodingProblems().get(TextDecoder.MAX_KEPT - 1).column()).isEqualTo(TextDecoder.MAX_KEPT);
    }
}
