package dev.fwpolicy.engine.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One policy source: a file on disk, a ConfigMap key, or text posted over HTTP. A value
 * (equal by name and text); line starts are indexed once so quoting a rule back is O(1).
 * Whatever the way in, the text is judged once here ({@link TextDecoder}): a leading
 * byte-order mark is dropped, and what is not acceptable text is kept as
 * {@link #encodingProblems()} for the parser to report with its location.
 */
public final class SourceFile {
    private final String name;
    private final String text;
    private final int[] lineStarts;
    private final List<EncodingProblem> encodingProblems;
    private final int encodingProblemCount;

    /** Text that is already a string (a JSON field, a ConfigMap's {@code data}). */
    public SourceFile(String name, String text) {
        this(name, TextDecoder.check(requireText(name, text)));
    }

    /**
     * Bytes as read from a file, a ConfigMap's {@code binaryData} or an HTTP body: never throws
     * on bytes that are not UTF-8, they become located problems instead.
     */
    public static SourceFile decode(String name, byte[] bytes) {
        if (name == null || bytes == null) throw new IllegalArgumentException("name and bytes are required");
        return new SourceFile(name, TextDecoder.decode(bytes));
    }

    private static String requireText(String name, String text) {
        if (name == null || text == null) throw new IllegalArgumentException("name and text are required");
        return text;
    }

    private SourceFile(String name, TextDecoder.Decoded decoded) {
        this.name = name;
        this.text = decoded.text();
        this.encodingProblems = decoded.problems();
        this.encodingProblemCount = decoded.problemCount();
        int lines = 1;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
        this.lineStarts = new int[lines];
        int n = 1;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts[n++] = i + 1;
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    /** The first problems found in the text (at most {@value TextDecoder#MAX_KEPT}), in order. */
    public List<EncodingProblem> encodingProblems() {
        return encodingProblems;
    }

    /** How many problems there were in all, also those not kept. */
    public int encodingProblemCount() {
        return encodingProblemCount;
    }

    /** The 1-based line {@code line} without its line terminator, or "" when out of range. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) return "";
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        String s = text.substring(start, end);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    public List<String> lines() {
        var out = new ArrayList<String>(lineStarts.length);
        for (int i = 1; i <= lineStarts.length; i++) out.add(line(i));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFile s && s.name.equals(name) && s.text.equals(text)
                && s.encodingProblems.equals(encodingProblems);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, text);
    }

    @Override
    public String toString() {
        return "SourceFile[" + name + ", " + text.length() + " chars]";
    }
}
