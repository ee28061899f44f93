package dev.fwpolicy.engine.dataplane;
import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.engine.iptables.KernelTable;
import dev.fwpolicy.engine.iptables.SaveParser;

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
    /**
     * Printed by iptables-nft-save (and, with "ip6tables", by ip6tables-nft-save) when legacy
     * tables also exist; about the other backend, not ours.
     */
    private static final List<String> OTHER_BACKEND_NOTICES = List.of(
            "# Warning: iptables-legacy tables present", "# Warning: ip6tables-legacy tables present");

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

    /**
     * The same kernel through the backend not in use: only to remove fwpolicy's rules left there
     * by a backend switch ({@link DetectedBackend#ownRulesElsewhere()}).
     */
    public IptablesDataplane otherBackend() {
        Backend other = backend.other();
        var detected = new DetectedBackend(other, new BackendDetector(runner).version(other),
                "holds fwpolicy rules from before a switch to " + backend.backend().label());
        return new IptablesDataplane(runner, detected, timeout);
    }

    public KernelTable read(Family family) {
        return read(family, false);
    }

    /**
     * Reads the filter table back. A non-zero exit, anything unexpected on stderr, or output
     * the parser does not fully understand is an error, never an empty table.
     */
    public KernelTable read(Family family, boolean withCounters) {
        return read(family, withCounters, java.util.Optional.empty());
    }

    /**
     * As {@link #read(Family, boolean)}, reusing {@code previous}'s parse when the tool printed the
     * same rules and warnings as the read-back {@code previous} was parsed from: only counters and
     * print times may differ ({@link KernelTable#reread}). Parsing is a pure function of the rules'
     * text, so nothing is lost; a no-op resync of 10,000 rules skips re-parsing them, with or
     * without counters, and a caller can tell "same rules" with {@link KernelTable#sameRules}.
     */
    public KernelTable read(Family family, boolean withCounters, java.util.Optional<KernelTable> previous) {
        previous = previous.filter(t -> t.family() == family && t.table().equals(FilterTable.NAME));
        var argv = new ArrayList<>(List.of(backend.backend().save(family), "-t", FilterTable.NAME));
        if (withCounters) argv.add("-c");
        var result = runner.run(new Command(argv, java.util.Optional.empty(), timeout)).requireOk();
        var warnings = new ArrayList<String>();
        for (String line : result.stderr().split("\n")) {
            if (line.isBlank()) continue;
            if (OTHER_BACKEND_NOTICES.stream().anyMatch(line::startsWith)) {
                warnings.add(line.strip());
            } else {
                throw new DataplaneException(family.label() + " read-back printed on stderr: " + result.stderr().strip());
            }
        }
        if (previous.isPresent()) {
            var same = previous.get().reread(result.stdout(), warnings, withCounters);
            if (same.isPresent()) return same.get();
        }
        var table = SaveParser.parse(family, FilterTable.NAME, result.stdout(), withCounters);
        return new KernelTable(table.family(), table.table(), table.chains(), table.raw(), warnings, table.counters());
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
