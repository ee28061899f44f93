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
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;

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
        if (source.encodingProblemCount() > 0) {
            reportEncoding(source, diagnostics);
            return Optional.empty();
        }
        int errorsBefore = diagnostics.errorCount();
        var listener = new SyntaxErrorListener(source.name(), diagnostics);
        var lexer = new FwpolicyLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        var comments = new ArrayList<Comment>();
        var tokens = lex(source.name(), lexer, comments, listener, diagnostics);
        if (tokens.isEmpty()) return Optional.empty();

        var parser = new FwpolicyParser(new CommonTokenStream(new ListTokenSource(tokens.get(), source.name())));
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        // SLL prediction is exact for this grammar and much faster than full LL on large files.
        parser.getInterpreter().setPredictionMode(org.antlr.v4.runtime.atn.PredictionMode.SLL);
        FwpolicyParser.PolicyFileContext tree;
        try {
            tree = parser.policyFile();
        } catch (ParseCancellationException tooManyErrors) {
            diagnostics.stoppedEarly(Span.point(source.name(), parser.getCurrentToken().getLine(),
                    parser.getCurrentToken().getCharPositionInLine() + 1));
            return Optional.empty();
        }
        if (diagnostics.errorCount() > errorsBefore) return Optional.empty();

        var declarations = new AstBuilder(source.name(), diagnostics).build(tree);
        return Optional.of(new PolicyFile(source, declarations, comments));
    }

    private static void reportEncoding(SourceFile source, Diagnostics diagnostics) {
        var problems = source.encodingProblems();
        for (var p : problems) {
            diagnostics.error("encoding", Span.point(source.name(), p.line(), p.column()), p.message());
        }
        var last = problems.get(problems.size() - 1);
        diagnostics.cutErrors(source.encodingProblemCount() - problems.size(),
                Span.point(source.name(), last.line(), last.column()));
    }

    /**
     * Lexes the whole file, reporting lexer-level problems with a better message than the
     * parser would give, collecting comments, and refusing nesting deep enough to threaten
     * the parser's stack. Empty when there were errors; tokens are kept only while there are
     * none, so a megabyte of garbage costs a count (past the error cap), not a million tokens.
     */
    private Optional<List<Token>> lex(String file, FwpolicyLexer lexer, ArrayList<Comment> comments,
                                      SyntaxErrorListener listener, Diagnostics diagnostics) {
        boolean ok = true;
        int notRun = 0;
        var tokens = new ArrayList<Token>();
        for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
            // Once there is an error the parser will not run: keep lexing only to count the rest.
            if (ok) tokens.add(t);
            if (t.getType() == Token.EOF) break;
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
        return ok ? Optional.of(tokens) : Optional.empty();
    }

    private static String describeChar(String text) {
        int cp = text.codePointAt(0);
        if (cp < 0x20 || cp == 0x7f) return String.format("U+%04X", cp);
        return "'" + text + "'";
    }
}
