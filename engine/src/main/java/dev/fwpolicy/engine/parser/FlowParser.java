package dev.fwpolicy.engine.parser;

import dev.fwpolicy.engine.ast.FlowDescription;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.grammar.FwpolicyLexer;
import dev.fwpolicy.grammar.FwpolicyParser;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Flow text (from {@code eval --flow} or an HTTP request) → the same {@link FlowDescription} an
 * {@code expect} line gives. Two spellings: the expect-line words, parsed by the grammar's own
 * {@code flow} rule ({@code inbound tcp from 10.0.0.1 port 40000 to 10.0.0.2 port 443}), and the
 * arrow form ({@code inbound tcp 10.0.0.1:40000 -> 10.0.0.2:443}). Problems are diagnostics in
 * {@code file}, line 1, columns counted in the flow text. Never throws on bad input.
 */
public final class FlowParser {
    private FlowParser() {}

    public static Optional<FlowDescription> parse(String file, String text, Diagnostics diagnostics) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            diagnostics.error("syntax", Span.point(file, 1, Math.max(text.indexOf('\n'), text.indexOf('\r')) + 1),
                    "a flow is one line");
            return Optional.empty();
        }
        if (text.contains("->")) return ArrowFlowReader.read(file, text, diagnostics);
        int errorsBefore = diagnostics.errorCount();
        var listener = new SyntaxErrorListener(file, diagnostics);
        var lexer = new FwpolicyLexer(CharStreams.fromString(text, file));
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        var parser = new FwpolicyParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        FwpolicyParser.FlowQueryContext tree;
        try {
            tree = parser.flowQuery();
        } catch (ParseCancellationException tooManyErrors) {
            return Optional.empty();
        }
        if (diagnostics.errorCount() > errorsBefore) return Optional.empty();
        var flow = new AstBuilder(file, diagnostics).visitFlowQuery(tree);
        return diagnostics.errorCount() > errorsBefore ? Optional.empty() : Optional.of(flow);
    }
}
