package dev.fwpolicy.engine.parser;

import dev.fwpolicy.grammar.FwpolicyLexer;
import java.util.Map;
import org.antlr.v4.runtime.Token;

/** How tokens are named in "expected …" messages: keywords quoted, the rest described. */
final class TokenNames {
    private static final Map<Integer, String> DESCRIBED = Map.of(
            FwpolicyLexer.NAME, "a name",
            FwpolicyLexer.INT, "a number",
            FwpolicyLexer.IPV4, "an IPv4 address",
            FwpolicyLexer.IPV6, "an IPv6 address",
            FwpolicyLexer.PORT_RANGE, "a port range",
            FwpolicyLexer.VARIABLE, "a $reference",
            FwpolicyLexer.STRING, "a \"string\"",
            FwpolicyLexer.QUALIFIED_NAME, "a namespace/name",
            Token.EOF, "end of file");

    static final int MAX_QUOTED = 60;

    private TokenNames() {}

    static String describe(int type) {
        var d = DESCRIBED.get(type);
        if (d != null) return d;
        String literal = FwpolicyLexer.VOCABULARY.getLiteralName(type);
        return literal != null ? literal : FwpolicyLexer.VOCABULARY.getDisplayName(type);
    }

    static String describe(Token t) {
        if (t.getType() == Token.EOF) return "end of file";
        String text = t.getText();
        // A token can be megabytes long (one huge name); the message quotes its start.
        return "'" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text) + "'";
    }
}
