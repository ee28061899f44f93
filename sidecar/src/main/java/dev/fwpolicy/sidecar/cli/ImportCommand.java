package dev.fwpolicy.sidecar.cli;

import picocli.CommandLine.Command;

/** {@code fwpolicy import KIND …}: other formats translated into .fwpolicy text. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Translate other firewall formats into .fwpolicy text on stdout.",
        subcommands = NetworkPolicyImportCommand.class)
public final class ImportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
