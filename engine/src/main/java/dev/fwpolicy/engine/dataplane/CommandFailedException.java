package dev.fwpolicy.engine.dataplane;

/**
 * A process exited non-zero (or timed out). The message carries the argv, the exit code and
 * stderr; {@link #result()} also holds the exact stdin it was fed, so a rejected restore
 * payload can be logged verbatim.
 */
public final class CommandFailedException extends DataplaneException {
    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super("command failed (exit " + result.exitCode() + "): " + result.command().display()
                + (result.stderr().isBlank() ? "" : "\nstderr:\n" + result.stderr().strip()));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
