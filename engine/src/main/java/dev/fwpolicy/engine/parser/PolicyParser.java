package dev.fwpolicy.engine.parser;

import dev.fwpolicy.engine.ast.Comment;
import dev.fwpolicy.engine.ast.PolicyFile;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.grammar.FwpolicyLexer;
import dev.fwpolicy.grammar.FwpolicyParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;

/** Source text → AST, or diagnostics. Never throws on bad input. */
public final class PolicyParser {
    private static final int COMMENT_CHANNEL = 2;
    private final Limits limits;

    public PolicyParser(Limits limits) {
        this.limits = limits;
    }

    public PolicyParser() {
        this(Limits.DEFAULT);
    }

    /** The AST, or empty when the file has syntax errors (which are then in {@code diagnostics}). */
    public Optional<PolicyFile> parse(SourceFile source, Diagnostics diagnostics) {
        int bytes = source.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxFileBytes()) {
            diagnostics.error("limit-exceeded", Span.point(source.name(), 1, 1),
                    "file is " + bytes + " bytes; the limit is " + limits.maxFileBytes());
            return Optional.empty();
        }
        int errorsBefore = diagnostics.errorCount();
        var listener = new SyntaxErrorListener(source.name(), diagnostics);
        var lexer = new FwpolicyLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        var tokens = new CommonTokenStream(lexer);
        tokens.fill();
        var comments = new ArrayList<Comment>();
        if (!checkTokens(source.name(), tokens, comments, listener, diagnostics)) return Optional.empty();

        var parser = new FwpolicyParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        // SLL prediction is exact for this grammar and much faster than full LL on large files.
        parser.getInterpreter().setPredictionMode(org.antlr.v4.runtime.atn.PredictionMode.SLL);
        var tree = parser.policyFile();
        if (diagnostics.errorCount() > errorsBefore) return Optional.empty();

        var declarations = new AstBuilder(source.name(), diagnostics).build(tree);
        return Optional.of(new PolicyFile(source, declarations, comments));
    }

    /**
     * Reports lexer-level problems with a better message than the parser would give, collects
     * comments, and refuses nesting deep enough to threaten the parser's stack.
     */
    private boolean checkTokens(String file, CommonTokenStream tokens, ArrayList<Comment> comments,
                                SyntaxErrorListener listener, Diagnostics diagnostics) {
        boolean ok = true;
        int notRun = 0;
        for (Token t : tokens.getTokens()) {
            // Width from the token's indexes: asking every token for its text is the lexer's hot spot.
            int width = Math.max(1, t.getStopIndex() - t.getStartIndex() + 1);
            var span = new Span(file, t.getLine(), t.getCharPositionInLine() + 1, t.getLine(),
                    t.getCharPositionInLine() + 1 + width);
            if (t.getChannel() == COMMENT_CHANNEL) {
                comments.add(new Comment(t.getText(), span));
                continue;
            }
            switch (t.getType()) {
                case FwpolicyLexer.ERROR_CHAR -> {
                    diagnostics.error("syntax", span, "unexpected character " + describeChar(t.getText()));
                    listener.markReported(t.getLine(), t.getCharPositionInLine() + 1);
                    ok = false;
                }
                case FwpolicyLexer.UNTERMINATED_STRING -> {
                    diagnostics.error("syntax", span, "unterminated string: a note must end with '\"' on the same line");
                    listener.markReported(t.getLine(), t.getCharPositionInLine() + 1);
                    ok = false;
                }
                default -> { }
            }
            notRun = t.getType() == FwpolicyLexer.NOT ? notRun + 1 : 0;
            if (notRun == limits.maxNesting() + 1) {
                diagnostics.error("limit-exceeded", span, "more than " + limits.maxNesting() + " nested 'not'");
                ok = false;
            }
        }
        return ok;
    }

    private static String describeChar(String text) {
        int cp = text.codePointAt(0);
        if (cp < 0x20 || cp == 0x7f) return String.format("U+%04X", cp);
        return "'" + text + "'";
    }
}
