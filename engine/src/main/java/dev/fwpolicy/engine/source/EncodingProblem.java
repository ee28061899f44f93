package dev.fwpolicy.engine.source;

/**
 * Something in a policy source that is not acceptable text: a byte sequence that is not
 * UTF-8, a control character, a lone carriage return. Found while the source is read, so
 * every way a policy arrives (file, ConfigMap, HTTP) is judged by the same rules; the
 * parser reports each one as an {@code encoding} diagnostic at its line and column.
 */
public record EncodingProblem(int line, int column, String message) {}
