package dev.fwpolicy.sidecar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code fwpolicy} command; each subcommand lives in its own class. */
@Command(name = "fwpolicy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Compile firewall intent written in .fwpolicy files into a canonical, hash-identified",
            "iptables rule set, and keep the kernel equal to it.",
            "",
            "Start with:  fwpolicy check examples/policies/web   then   fwpolicy compile examples/policies/web"},
        subcommands = {
            CheckCommand.class,
            FmtCommand.class,
            CompileCommand.class,
            EvalCommand.class,
            CompareCommand.class,
            StateCommand.class,
            TestCommand.class,
            DiffCommand.class,
            ApplyCommand.class,
            ServeCommand.class,
            FleetCommand.class,
            ImportCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 policy errors or failed check, 2 usage or I/O error."})
public final class FwpolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        var cl = new CommandLine(new FwpolicyCommand());
        // Descriptions are written as lines of up to ~100 characters; 80 would re-wrap them mid-sentence.
        cl.setUsageHelpWidth(110);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("fwpolicy: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
