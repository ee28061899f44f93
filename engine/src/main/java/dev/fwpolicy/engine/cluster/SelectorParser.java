package dev.fwpolicy.engine.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Kubernetes' label-selector string syntax: requirements separated by commas (all
 * must hold), each {@code key}, {@code !key}, {@code key=value}, {@code key==value},
 * {@code key!=value}, {@code key in (v1,v2)} or {@code key notin (v1,v2)}. Whitespace
 * separates nothing but may surround every token; a word is any run of characters other
 * than whitespace and {@code = ! ( ) , < >}, and {@code in}/{@code notin} are operators only
 * after a key. Keys and values are then held to Kubernetes' naming rules. The empty string
 * selects everything. {@code >} and {@code <} (which the API server's string form knows)
 * are refused: a LabelSelector object, and so a NetworkPolicy, cannot express them.
 */
public final class SelectorParser {
    private enum Kind { WORD, IN, NOT_IN, COMMA, OPEN, CLOSE, BANG, EQ, DOUBLE_EQ, NOT_EQ, GREATER, LESS, END }

    private record Token(Kind kind, String text, int offset) {
        int length() {
            return Math.max(1, text.length());
        }
    }

    /** A problem found while reading; carries its position out of the recursive descent. */
    private static final class Failure extends RuntimeException {
        final SelectorError error;

        Failure(SelectorError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private final String text;
    private final List<Token> tokens;
    private int position;

    private SelectorParser(String text) {
        this.text = text;
        this.tokens = scan(text);
    }

    public static SelectorParse parse(String text) {
        try {
            return new SelectorParse.Parsed(new SelectorParser(text).selector());
        } catch (Failure f) {
            return new SelectorParse.Invalid(f.error);
        }
    }

    private static List<Token> scan(String s) {
        var out = new ArrayList<Token>();
        int i = 0;
        while (true) {
            while (i < s.length() && isWhitespace(s.charAt(i))) i++;
            if (i == s.length()) {
                out.add(new Token(Kind.END, "", i));
                return out;
            }
            char c = s.charAt(i);
            if (isSpecial(c)) {
                // The longest operator that starts here: "!=" and "==" before "!" and "=".
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("!=") || two.equals("==")) {
                    out.add(new Token(two.equals("!=") ? Kind.NOT_EQ : Kind.DOUBLE_EQ, two, i));
                    i += 2;
                    continue;
                }
                Kind kind = switch (c) {
                    case '=' -> Kind.EQ;
                    case '!' -> Kind.BANG;
                    case '(' -> Kind.OPEN;
                    case ')' -> Kind.CLOSE;
                    case ',' -> Kind.COMMA;
                    case '>' -> Kind.GREATER;
                    default -> Kind.LESS;
                };
                out.add(new Token(kind, String.valueOf(c), i));
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && !isSpecial(s.charAt(i)) && !isWhitespace(s.charAt(i))) i++;
            String word = s.substring(start, i);
            Kind kind = word.equals("in") ? Kind.IN : word.equals("notin") ? Kind.NOT_IN : Kind.WORD;
            out.add(new Token(kind, word, start));
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    /** Where a key or value is expected, 'in' and 'notin' are words like any other. */
    private Token peekWord() {
        return asWord(tokens.get(position));
    }

    private Token nextWord() {
        return asWord(tokens.get(position++));
    }

    private static Token asWord(Token t) {
        return t.kind == Kind.IN || t.kind == Kind.NOT_IN ? new Token(Kind.WORD, t.text, t.offset) : t;
    }

    private LabelSelector selector() {
        var requirements = new ArrayList<Requirement>();
        if (peekWord().kind == Kind.END) return LabelSelector.EVERYTHING;
        while (true) {
            var start = peekWord();
            if (start.kind != Kind.WORD && start.kind != Kind.BANG) {
                throw fail(start, "expected a label key or '!key'" + (requirements.isEmpty() ? "" : " after ','")
                        + ", found " + describe(start));
            }
            requirements.add(requirement());
            var after = nextWord();
            if (after.kind == Kind.END) return new LabelSelector(requirements);
            if (after.kind != Kind.COMMA) {
                throw fail(after, "expected ',' or the end of the selector, found " + describe(after));
            }
        }
    }

    private Requirement requirement() {
        var first = nextWord();
        boolean absent = first.kind == Kind.BANG;
        var keyToken = absent ? nextWord() : first;
        if (keyToken.kind != Kind.WORD) throw fail(keyToken, "expected a label key after '!', found " + describe(keyToken));
        String key = keyToken.text;
        LabelSyntax.key(key).ifPresent(e -> { throw new Failure(e.shifted(keyToken.offset)); });
        var next = peekWord();
        if (next.kind == Kind.END || next.kind == Kind.COMMA) {
            return new Requirement(key, absent ? Operator.DOES_NOT_EXIST : Operator.EXISTS, List.of());
        }
        if (absent) {
            throw fail(next, "'!" + key + "' means the label is absent and takes no operator or value; found " + describe(next));
        }
        var opToken = tokens.get(position++);
        Operator op = switch (opToken.kind) {
            case EQ -> Operator.EQUALS;
            case DOUBLE_EQ -> Operator.DOUBLE_EQUALS;
            case NOT_EQ -> Operator.NOT_EQUALS;
            case IN -> Operator.IN;
            case NOT_IN -> Operator.NOT_IN;
            case GREATER, LESS -> throw fail(opToken, "'" + opToken.text + "' is not supported: a LabelSelector (and so a"
                    + " NetworkPolicy) has only =, ==, !=, in, notin, key and !key");
            default -> throw fail(opToken, "expected an operator (=, ==, !=, in, notin), ',' or the end of the selector after '"
                    + key + "', found " + describe(opToken));
        };
        List<Token> values = op.isSet() ? valueSet(op) : List.of(exactValue(op));
        var strings = new ArrayList<String>();
        for (var v : values) {
            LabelSyntax.value(v.text).ifPresent(e -> { throw new Failure(e.shifted(v.offset)); });
            strings.add(v.text);
        }
        return new Requirement(key, op, strings);
    }

    /** {@code key=value}; nothing before ',' or the end is the empty value, as in Kubernetes. */
    private Token exactValue(Operator op) {
        var t = peekWord();
        if (t.kind == Kind.END || t.kind == Kind.COMMA) return new Token(Kind.WORD, "", t.offset);
        position++;
        if (t.kind != Kind.WORD) throw fail(t, "expected a value after '" + op.spelling() + "', found " + describe(t));
        return t;
    }

    /**
     * {@code (v1, v2)}. As in Kubernetes, an empty place in the list ({@code ()}, {@code (,a)},
     * {@code (a,,b)}, {@code (a,)}) stands for the empty value.
     */
    private List<Token> valueSet(Operator op) {
        var open = nextWord();
        if (open.kind != Kind.OPEN) throw fail(open, "expected '(' after '" + op.spelling() + "', found " + describe(open));
        var values = new ArrayList<Token>();
        boolean expectValue = true;
        while (true) {
            var t = nextWord();
            switch (t.kind) {
                case WORD -> {
                    if (!expectValue) throw fail(t, "expected ',' or ')' between values, found " + describe(t));
                    values.add(t);
                    expectValue = false;
                }
                case COMMA -> {
                    if (expectValue) values.add(new Token(Kind.WORD, "", t.offset));
                    expectValue = true;
                }
                case CLOSE -> {
                    if (expectValue) values.add(new Token(Kind.WORD, "", t.offset));
                    return values;
                }
                default -> throw fail(t, t.kind == Kind.END
                        ? "the value list opened at offset " + open.offset + " is not closed: expected ')'"
                        : "expected a value, ',' or ')', found " + describe(t));
            }
        }
    }

    private Failure fail(Token at, String message) {
        // The end of the string has no character: point just past the last one.
        int offset = at.kind == Kind.END ? Math.max(0, text.length() - 1) : at.offset;
        int length = at.kind == Kind.END ? 1 : at.length();
        if (at.kind == Kind.END && text.isEmpty()) offset = 0;
        return new Failure(new SelectorError(offset, length, message));
    }

    private static String describe(Token t) {
        return t.kind == Kind.END ? "the end of the selector" : "'" + t.text + "'";
    }

    /** Convenience for callers that hold a selector known to be valid (tests, renderings). */
    public static Optional<LabelSelector> parseValid(String text) {
        return parse(text) instanceof SelectorParse.Parsed p ? Optional.of(p.selector()) : Optional.empty();
    }
}
