package dev.fwpolicy.engine.dataplane;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One process to run: an argv list (never a shell line, so nothing in it is interpreted),
 * optional text for its stdin, and how long it may take.
 */
public record Command(List<String> argv, Optional<String> stdin, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("argv must not be empty");
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Optional.empty(), DEFAULT_TIMEOUT);
    }

    public Command withStdin(String text) {
        return new Command(argv, Optional.of(text), timeout);
    }

    public Command withTimeout(Duration t) {
        return new Command(argv, stdin, t);
    }

    /** The argv as one line for logs and error messages (not for execution). */
    public String display() {
        return String.join(" ", argv);
    }
}
