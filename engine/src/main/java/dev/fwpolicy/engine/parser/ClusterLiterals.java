package dev.fwpolicy.engine.parser;

import dev.fwpolicy.engine.ast.NamespaceName;
import dev.fwpolicy.engine.ast.SelectorLiteral;
import dev.fwpolicy.engine.ast.ServiceSource;
import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.LabelSyntax;
import dev.fwpolicy.engine.cluster.SelectorError;
import dev.fwpolicy.engine.cluster.SelectorParse;
import dev.fwpolicy.engine.cluster.SelectorParser;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.source.Span;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/**
 * Reads the Kubernetes parts of a dynamic set (label selectors, namespace and Service
 * names) from their tokens, and reports what is wrong with them at the character inside
 * the token where it is wrong: a caret under the quote of a long selector helps nobody.
 */
final class ClusterLiterals {
    private final String file;
    private final Diagnostics diagnostics;

    ClusterLiterals(String file, Diagnostics diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    SelectorLiteral selector(Token token) {
        String text = unquoted(token);
        var parsed = SelectorParser.parse(text);
        LabelSelector selector = LabelSelector.EVERYTHING;
        if (parsed instanceof SelectorParse.Parsed p) {
            selector = p.selector();
        } else {
            var error = ((SelectorParse.Invalid) parsed).error();
            diagnostics.error("invalid-selector", inside(token, text, 1, error), "bad label selector: " + error.message());
        }
        return new SelectorLiteral(text, selector, span(token));
    }

    NamespaceName namespace(Token token) {
        boolean quoted = token.getText().startsWith("\"");
        String name = quoted ? unquoted(token) : token.getText();
        LabelSyntax.namespaceName(name).ifPresent(e ->
                diagnostics.error("invalid-name", inside(token, name, quoted ? 1 : 0, e), "bad namespace name: " + e.message()));
        return new NamespaceName(name, token.getText(), span(token));
    }

    ServiceSource service(Token token, Span span) {
        boolean quoted = token.getText().startsWith("\"");
        String ref = quoted ? unquoted(token) : token.getText();
        int slash = ref.indexOf('/');
        Optional<String> namespace = slash < 0 ? Optional.empty() : Optional.of(ref.substring(0, slash));
        String name = ref.substring(slash + 1);
        int base = quoted ? 1 : 0;
        boolean ok = true;
        if (namespace.isPresent()) {
            var nsError = LabelSyntax.namespaceName(namespace.get());
            if (nsError.isPresent()) {
                diagnostics.error("invalid-name", inside(token, ref, base, nsError.get()), "bad namespace name: " + nsError.get().message());
                ok = false;
            }
        }
        if (ok) {
            LabelSyntax.serviceName(name).ifPresent(e -> diagnostics.error("invalid-name",
                    inside(token, ref, base, e.shifted(slash + 1)), "bad Service name: " + e.message()
                            + (name.contains("/") ? " (write NAMESPACE/NAME)" : "")));
        }
        return new ServiceSource(namespace, name, token.getText(), span);
    }

    /** Between the quotes, literally. */
    private static String unquoted(Token token) {
        String t = token.getText();
        return t.substring(1, t.length() - 1);
    }

    /** The span of {@code error} inside {@code text}, which starts {@code base} characters into the token. */
    private Span inside(Token token, String text, int base, SelectorError error) {
        // Columns count code points (ANTLR's positions); the error counts Java chars.
        int offset = Math.min(error.offset(), text.length());
        int end = Math.min(error.offset() + error.length(), text.length());
        int col = token.getCharPositionInLine() + 1 + base + text.codePointCount(0, offset);
        int width = Math.max(1, text.codePointCount(offset, Math.max(offset, end)));
        return new Span(file, token.getLine(), col, token.getLine(), col + width);
    }

    private Span span(Token t) {
        int col = t.getCharPositionInLine() + 1;
        return new Span(file, t.getLine(), col, t.getLine(), col + Math.max(1, t.getStopIndex() - t.getStartIndex() + 1));
    }
}
