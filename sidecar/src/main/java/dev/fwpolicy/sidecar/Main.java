package dev.fwpolicy.sidecar;

import dev.fwpolicy.sidecar.cli.FwpolicyCommand;
import picocli.CommandLine;

/** Entry point of the {@code fwpolicy} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(FwpolicyCommand.commandLine().execute(args));
    }
}
