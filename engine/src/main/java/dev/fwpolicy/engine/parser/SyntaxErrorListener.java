package dev.fwpolicy.engine.parser;

import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.source.Span;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Turns ANTLR's syntax errors into {@code syntax} diagnostics that say what was found and
 * what was expected, one per position (ANTLR may report a position twice while recovering).
 */
final class SyntaxErrorListener extends BaseErrorListener {
    private final String file;
    private final Diagnostics diagnostics;
    private final Set<String> reported = new HashSet<>();

    SyntaxErrorListener(String file, Diagnostics diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    /** Lexer-level problems already reported at this position suppress the parser's echo. */
    void markReported(int line, int column) {
        reported.add(line + ":" + column);
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        int column = charPositionInLine + 1;
        if (!reported.add(line + ":" + column)) return;
        if (!(recognizer instanceof Parser parser) || !(offendingSymbol instanceof Token token)) {
            diagnostics.error("syntax", Span.point(file, line, column), msg);
            if (diagnostics.full()) throw new ParseCancellationException("too many syntax errors");
            return;
        }
        var expected = new TreeSet<String>();
        var set = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
        for (int type : set.toArray()) expected.add(TokenNames.describe(type));
        int width = token.getType() == Token.EOF ? 1 : Math.max(1, token.getText().length());
        var span = new Span(file, line, column, line, column + width);
        String found = TokenNames.describe(token);
        String message = expected.isEmpty()
                ? "unexpected " + found
                : "unexpected " + found + ", expected " + joinExpected(expected);
        diagnostics.error("syntax", span, message);
        // ANTLR's recovery would go on through the whole file; past the cap nothing more is shown.
        if (diagnostics.full()) throw new ParseCancellationException("too many syntax errors");
    }

    private static String joinExpected(Set<String> expected) {
        var list = new java.util.ArrayList<>(expected);
        if (list.size() == 1) return list.get(0);
        return "one of " + String.join(", ", list);
    }
}
