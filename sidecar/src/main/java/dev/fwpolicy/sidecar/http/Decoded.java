package dev.fwpolicy.sidecar.http;

/** What a body decoder gives: the request it read, or the 400 the client gets instead. */
sealed interface Decoded<T> {
    record Ok<T>(T request) implements Decoded<T> {}

    record Rejected<T>(BodyError error) implements Decoded<T> {}

    static <T> Decoded<T> ok(T request) {
        return new Ok<>(request);
    }

    static <T> Decoded<T> rejected(String code, String message) {
        return new Rejected<>(new BodyError(code, message));
    }
}
