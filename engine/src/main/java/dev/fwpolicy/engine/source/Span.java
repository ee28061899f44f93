package dev.fwpolicy.engine.source;

/**
 * Where something was written: file name, 1-based line and column of its first character,
 * and the line and column just after its last character.
 */
public record Span(String file, int line, int column, int endLine, int endColumn) {

    public static final Span NONE = new Span("<builtin>", 0, 0, 0, 0);

    public static Span point(String file, int line, int column) {
        return new Span(file, line, column, line, column + 1);
    }

    /** From the start of {@code this} to the end of {@code other}. */
    public Span to(Span other) {
        return new Span(file, line, column, other.endLine, other.endColumn);
    }

    /** {@code file:line:col}, the form editors and terminals link to. */
    public String location() {
        return file + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return location();
    }
}
