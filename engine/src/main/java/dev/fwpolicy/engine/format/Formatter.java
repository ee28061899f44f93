package dev.fwpolicy.engine.format;

import dev.fwpolicy.engine.vocabulary.ConnState;

import dev.fwpolicy.engine.ast.*;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one canonical layout of a .fwpolicy file ({@code fwpolicy fmt}). It changes layout
 * only, never meaning or spelling: members keep their order and spelling, every comment
 * is kept (a comment inside a construct printed on one line moves above it), blank lines
 * between items shrink to one. Within a run of items without blank lines, set names,
 * rule notes and trailing comments are aligned. Formatting twice gives the same text.
 */
public final class Formatter {
    private static final String INDENT = "  ";

    private final List<Comment> comments;
    private final List<String> sourceLines;
    private int nextComment;
    private final List<Row> rows = new ArrayList<>();
    private int lastSourceLine;

    private Formatter(PolicyFile file) {
        this.comments = file.comments().stream().sorted(Comparator.comparingInt((Comment c) -> c.span().line())
                .thenComparingInt(c -> c.span().column())).toList();
        this.sourceLines = file.source().lines();
    }

    public static String format(PolicyFile file) {
        var f = new Formatter(file);
        f.file(file);
        return f.render();
    }

    /**
     * One output line before alignment. Consecutive {@code alignable} rows at one depth form a group:
     * their heads are padded to one width, and so are their bodies when a note or comment follows.
     */
    private record Row(int depth, String head, String body, String note, String trailing, boolean blankBefore, boolean alignable) {}

    private void file(PolicyFile file) {
        boolean first = true;
        for (var decl : file.declarations()) {
            if (!first) forceBlank = true;
            first = false;
            if (decl instanceof PolicyDecl p) policy(p);
            else test((TestDecl) decl);
        }
        commentsBefore(Integer.MAX_VALUE, 0);
    }

    private boolean forceBlank;

    private void policy(PolicyDecl p) {
        String header = "policy " + p.name().text() + p.priority().map(pr -> " priority " + pr.value()).orElse("") + (p.audit() ? " audit" : "") + " {";
        open(0, header, p.span());
        for (var item : p.items()) item(item);
        close(0, p.span());
    }

    private void item(PolicyItem item) {
        if (item instanceof DefaultDecl d) {
            leaf(1, "", "default " + d.direction().keyword() + " " + d.verdict().keyword() + (d.audit() ? " audit" : ""), null, d.span());
        } else if (item instanceof AddressSetDecl s) {
            leaf(1, "set " + s.name().text(), "= " + addressSet(s.set()), null, s.span());
        } else if (item instanceof DynamicSetDecl d) {
            leaf(1, "set " + d.name().text(), "= " + d.source().text(), null, d.span());
        } else if (item instanceof PortSetDecl ps) {
            leaf(1, "ports " + ps.name().text(), "= " + portSet(ps.set()), null, ps.span());
        } else if (item instanceof KernelSetsDecl k) {
            leaf(1, "", "kernel-sets above " + k.threshold(), null, k.span());
        } else {
            var block = (DirectionBlock) item;
            open(1, block.direction().keyword() + " {", block.span());
            for (var rule : block.rules()) leaf(2, "", rule(rule), rule.note().map(Note::text).map(Formatter::quote).orElse(null), rule.span());
            close(1, block.span());
        }
    }

    private void test(TestDecl t) {
        open(0, "test " + t.name().text() + " {", t.span());
        for (var e : t.expectations()) {
            leaf(1, "expect " + e.verdict().keyword(), expectation(e), e.note().map(Note::text).map(Formatter::quote).orElse(null), e.span());
        }
        close(0, t.span());
    }

    static String rule(RuleDecl rule) {
        var parts = new ArrayList<String>();
        parts.add(rule.action().keyword());
        if (rule instanceof EstablishedRule) {
            parts.add("established");
            return String.join(" ", parts);
        }
        var m = (MatchRule) rule;
        m.protocol().ifPresent(p -> parts.add(p.protocol().keyword()));
        m.source().ifPresent(s -> {
            parts.add("from " + addresses(s.addresses()));
            s.ports().ifPresent(ps -> parts.add("port " + portSet(ps)));
        });
        m.destination().ifPresent(d -> {
            parts.add("to");
            d.addresses().ifPresent(a -> parts.add(addresses(a)));
            d.ports().ifPresent(ps -> parts.add("port " + portSet(ps)));
        });
        m.icmpType().ifPresent(t -> parts.add("type " + t.text()));
        return String.join(" ", parts);
    }

    private static String expectation(Expectation e) {
        return e.flow().words();
    }

    static String addresses(Addresses a) {
        if (a instanceof NegatedAddresses n) return "not " + addresses(n.inner());
        return addressSet((AddressSet) a);
    }

    static String addressSet(AddressSet set) {
        var members = set.members().stream().map(Formatter::member).collect(Collectors.toList());
        if (set instanceof SingleAddress) return members.get(0);
        return members.isEmpty() ? "{ }" : "{ " + String.join(", ", members) + " }";
    }

    private static String member(AddressMember m) {
        if (m instanceof AddressLiteral l) return l.text();
        if (m instanceof AnyAddress) return "any";
        return "$" + ((AddressReference) m).name();
    }

    static String portSet(PortSet set) {
        var members = set.members().stream()
                .map(m -> m instanceof PortLiteral l ? l.text() : "$" + ((PortReference) m).name())
                .collect(Collectors.toList());
        if (set instanceof SinglePort) return members.get(0);
        return members.isEmpty() ? "{ }" : "{ " + String.join(", ", members) + " }";
    }

    /** A note back in quotes, escaped so that it parses to the same text. */
    public static String quote(String text) {
        var sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ---- rows and comments ----

    private void open(int depth, String text, dev.fwpolicy.engine.source.Span span) {
        commentsBefore(span.line(), depth);
        boolean blank = takeBlank(span.line());
        rows.add(new Row(depth, "", text, null, trailingOn(span.line()), blank, false));
        lastSourceLine = span.line();
    }

    private void close(int depth, dev.fwpolicy.engine.source.Span span) {
        commentsBefore(span.endLine(), depth + 1);
        rows.add(new Row(depth, "", "}", null, trailingOn(span.endLine()), false, false));
        lastSourceLine = span.endLine();
    }

    private void leaf(int depth, String head, String body, String note, dev.fwpolicy.engine.source.Span span) {
        commentsBefore(span.endLine(), depth);
        boolean blank = takeBlank(span.line());
        rows.add(new Row(depth, head, body, note, trailingOn(span.endLine()), blank, true));
        lastSourceLine = span.endLine();
    }

    /** Comments that stand on lines before {@code line} become own-line comments at this depth. */
    private void commentsBefore(int line, int depth) {
        while (nextComment < comments.size() && comments.get(nextComment).span().line() < line) {
            var c = comments.get(nextComment++);
            boolean blank = takeBlank(c.span().line());
            rows.add(new Row(depth, "", c.text().stripTrailing(), null, null, blank, false));
            lastSourceLine = c.span().line();
        }
    }

    private String trailingOn(int line) {
        if (nextComment < comments.size() && comments.get(nextComment).span().line() == line) {
            return comments.get(nextComment++).text().stripTrailing();
        }
        return null;
    }

    /** One blank line where the source had at least one, or where declarations meet. */
    private boolean takeBlank(int line) {
        boolean blank = forceBlank;
        forceBlank = false;
        if (!blank && lastSourceLine > 0 && line > lastSourceLine + 1) {
            for (int l = lastSourceLine + 1; l < line; l++) {
                if (l - 1 < sourceLines.size() && sourceLines.get(l - 1).isBlank()) {
                    blank = true;
                    break;
                }
            }
        }
        return blank && !rows.isEmpty() && !rows.get(rows.size() - 1).body().endsWith("{");
    }

    private String render() {
        var out = new StringBuilder();
        int i = 0;
        while (i < rows.size()) {
            // A group: consecutive rows at one depth, not broken by a blank line or a block edge.
            int j = i + 1;
            while (j < rows.size() && !rows.get(j).blankBefore() && rows.get(j).depth() == rows.get(i).depth()
                    && (rows.get(j).alignable() || rows.get(j).trailing() == null && isComment(rows.get(j)))
                    && (rows.get(i).alignable() || isComment(rows.get(i)))) j++;
            renderGroup(out, rows.subList(i, j));
            i = j;
        }
        return out.toString();
    }

    private static boolean isComment(Row r) {
        return !r.alignable() && r.body().startsWith("#");
    }

    private void renderGroup(StringBuilder out, List<Row> group) {
        int headWidth = group.stream().filter(Row::alignable).mapToInt(r -> r.head().length()).max().orElse(0);
        var lines = new ArrayList<String>();
        for (var r : group) {
            String head = r.head().isEmpty() ? "" : pad(r.head(), headWidth) + " ";
            if (r.head().startsWith("expect ")) head = pad(r.head(), headWidth) + " ";
            lines.add(r.alignable() ? head + r.body() : r.body());
        }
        int bodyWidth = 0;
        for (int k = 0; k < group.size(); k++) {
            var r = group.get(k);
            if (r.alignable() && (r.note() != null || r.trailing() != null)) bodyWidth = Math.max(bodyWidth, lines.get(k).length());
        }
        for (int k = 0; k < group.size(); k++) {
            var r = group.get(k);
            if (r.blankBefore()) out.append('\n');
            var sb = new StringBuilder(INDENT.repeat(r.depth())).append(lines.get(k));
            if (r.alignable() && (r.note() != null || r.trailing() != null)) {
                sb.setLength(INDENT.repeat(r.depth()).length());
                sb.append(pad(lines.get(k), bodyWidth));
                if (r.note() != null) sb.append("  ").append(r.note());
                if (r.trailing() != null) sb.append("  ").append(r.trailing());
            } else if (r.trailing() != null) {
                sb.append("  ").append(r.trailing());
            }
            out.append(sb.toString().stripTrailing()).append('\n');
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

}
