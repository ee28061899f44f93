package dev.fwpolicy.engine.dataplane;

/**
 * Runs processes. The one seam between fwpolicy and the tools that touch the kernel, so tests
 * can record, wrap or fake every call. Implementations never go through a shell.
 */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Runs the command to completion and returns its exit code and output; a non-zero exit is
     * a result, not an exception. Throws {@link DataplaneException} when the process cannot be
     * started or exceeds its timeout.
     */
    CommandResult run(Command command);

    /** The same runner, with every command executed inside network namespace {@code name}. */
    default CommandRunner inNetns(String name) {
        return new NetnsCommandRunner(this, name);
    }
}
