package dev.fwpolicy.engine.dataplane;

import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The only code that reads or writes the kernel's iptables state: {@code *-save} to read a
 * table back, {@code *-restore --noflush --wait} to change it in one transaction. It never
 * asks {@code -C}: existence is decided from the read-back alone.
 */
public final class IptablesDataplane {
    /** Printed by iptables-nft-save when legacy tables also exist; about the other backend, not ours. */
    private static final String OTHER_BACKEND_NOTICE = "# Warning: iptables-legacy tables present";

    private final CommandRunner runner;
    private final DetectedBackend backend;
    private final Duration timeout;

    public IptablesDataplane(CommandRunner runner, DetectedBackend backend) {
        this(runner, backend, Command.DEFAULT_TIMEOUT);
    }

    public IptablesDataplane(CommandRunner runner, DetectedBackend backend, Duration timeout) {
        this.runner = runner;
        this.backend = backend;
        this.timeout = timeout;
    }

    /** Detects (or takes the forced) backend, then talks to it through {@code runner}. */
    public static IptablesDataplane open(CommandRunner runner, BackendChoice choice) {
        return new IptablesDataplane(runner, new BackendDetector(runner).detect(choice));
    }

    public DetectedBackend backend() {
        return backend;
    }

    public KernelTable read(Family family) {
        return read(family, false);
    }

    /**
     * Reads the filter table back. A non-zero exit, anything unexpected on stderr, or output
     * the parser does not fully understand is an error, never an empty table.
     */
    public KernelTable read(Family family, boolean withCounters) {
        var argv = new ArrayList<>(List.of(backend.backend().save(family), "-t", RuleSet.TABLE));
        if (withCounters) argv.add("-c");
        var result = runner.run(new Command(argv, java.util.Optional.empty(), timeout)).requireOk();
        var warnings = new ArrayList<String>();
        for (String line : result.stderr().split("\n")) {
            if (line.isBlank()) continue;
            if (line.startsWith(OTHER_BACKEND_NOTICE)) {
                warnings.add(line.strip());
            } else {
                throw new DataplaneException(family.label() + " read-back printed on stderr: " + result.stderr().strip());
            }
        }
        var table = SaveParser.parse(family, RuleSet.TABLE, result.stdout());
        return new KernelTable(table.family(), table.table(), table.chains(), table.raw(), warnings);
    }

    /**
     * Feeds {@code payload} to {@code *-restore --noflush --wait} as one transaction. Returns
     * the result whatever the exit code; the caller decides, and has the payload to report.
     */
    public CommandResult restore(Family family, String payload) {
        var argv = List.of(backend.backend().restore(family), "--noflush", "--wait");
        return runner.run(new Command(argv, java.util.Optional.of(payload), timeout));
    }
}
