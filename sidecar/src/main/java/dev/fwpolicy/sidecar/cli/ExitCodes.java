package dev.fwpolicy.sidecar.cli;

/** Process exit codes shared by every subcommand. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Policy errors, a failed check, expectations not met, or a failed apply. */
    public static final int FAILED = 1;
    /** Bad arguments, unreadable files. */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
