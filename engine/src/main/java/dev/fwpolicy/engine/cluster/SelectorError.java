package dev.fwpolicy.engine.cluster;

/**
 * What is wrong with a selector or a name, and where: {@code offset} and {@code length}
 * count characters of the checked string, so the caller can point inside its quotes.
 */
public record SelectorError(int offset, int length, String message) {

    public SelectorError {
        if (offset < 0 || length < 1) throw new IllegalArgumentException("bad extent " + offset + "+" + length);
    }

    /** The same problem inside a longer string that holds the checked one at {@code start}. */
    public SelectorError shifted(int start) {
        return new SelectorError(offset + start, length, message);
    }
}
