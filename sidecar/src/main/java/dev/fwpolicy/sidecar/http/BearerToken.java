package dev.fwpolicy.sidecar.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The bearer token {@code POST /v1/sync} requires. From {@code --token-file} it is read again
 * every {@link #reloadEvery()}, so rotating the Secret behind a mounted file (the kubelet swaps
 * it in place) takes effect without restarting the sidecar. A file that is missing, unreadable
 * or empty at a reload keeps the token in force: the endpoint never falls open.
 */
public final class BearerToken {
    private static final System.Logger LOG = System.getLogger("fwpolicy.api");
    public static final Duration DEFAULT_RELOAD = Duration.ofSeconds(5);

    private final Optional<Path> file;
    private final Duration reloadEvery;
    private volatile String current;

    private BearerToken(Optional<Path> file, Duration reloadEvery, String current) {
        this.file = file;
        this.reloadEvery = reloadEvery;
        this.current = current;
    }

    /** A token that never changes (tests, or a caller that manages rotation itself). */
    public static BearerToken fixed(String token) {
        if (token.isBlank()) throw new IllegalArgumentException("the token is empty");
        return new BearerToken(Optional.empty(), DEFAULT_RELOAD, token.strip());
    }

    /** Reads {@code file} now; throws IllegalArgumentException when it cannot be read or is empty (a start-up error). */
    public static BearerToken fromFile(Path file, Duration reloadEvery) {
        try {
            return new BearerToken(Optional.of(file), reloadEvery, read(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public String current() {
        return current;
    }

    /** Whether there is a file to re-read. */
    public boolean reloads() {
        return file.isPresent();
    }

    public Duration reloadEvery() {
        return reloadEvery;
    }

    /** Re-reads the file (blocking: call off the event loop). Returns whether the token changed. */
    public boolean reload() {
        if (file.isEmpty()) return false;
        try {
            String token = read(file.get());
            if (token.equals(current)) return false;
            current = token;
            LOG.log(Level.INFO, "bearer token reloaded from {0}", file.get());
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot re-read the token file ({0}); the token in force stays", e.getMessage());
            return false;
        }
    }

    private static String read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) throw new IOException("the token file is empty");
        return token;
    }
}
