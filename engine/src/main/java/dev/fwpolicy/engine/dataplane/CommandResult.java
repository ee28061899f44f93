package dev.fwpolicy.engine.dataplane;

import java.time.Duration;

/** What a finished process left behind. */
public record CommandResult(Command command, int exitCode, String stdout, String stderr, Duration duration) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Throws with the full context (argv, exit code, stderr, stdin) unless the process succeeded. */
    public CommandResult requireOk() {
        if (!ok()) throw new CommandFailedException(this);
        return this;
    }
}
