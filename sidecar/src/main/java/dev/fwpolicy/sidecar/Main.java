package dev.fwpolicy.sidecar;

import dev.fwpolicy.sidecar.cli.FwpolicyCommand;
import picocli.CommandLine;

/** Entry point of the {@code fwpolicy} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // One line per log record (the JDK default spreads each over two), set before anything logs.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        if (OneShotHeap.appliesTo(args)) OneShotHeap.grow();
        System.exit(FwpolicyCommand.commandLine().execute(args));
    }
}
