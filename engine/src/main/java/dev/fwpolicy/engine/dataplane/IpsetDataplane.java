package dev.fwpolicy.engine.dataplane;

import dev.fwpolicy.engine.ipset.IpsetReadBackException;
import dev.fwpolicy.engine.ipset.IpsetSaveParser;
import dev.fwpolicy.engine.ipset.KernelSets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The only code that reads or writes the kernel's ipsets: {@code ipset save} to read them all
 * back, {@code ipset restore} to change them. It never runs {@code ipset test}, which is
 * {@code iptables -C} for sets: membership is decided from the read-back alone.
 */
public final class IpsetDataplane {
    static final String IPSET = "ipset";

    private final CommandRunner runner;
    private final Duration timeout;

    public IpsetDataplane(CommandRunner runner) {
        this(runner, Command.DEFAULT_TIMEOUT);
    }

    public IpsetDataplane(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /**
     * Reads the sets once to prove the tools work, so a missing binary or kernel module is a
     * clear error when fwpolicy starts rather than a failed sync later.
     */
    public static IpsetDataplane open(CommandRunner runner) {
        var dataplane = new IpsetDataplane(runner);
        dataplane.read();
        return dataplane;
    }

    /**
     * Every set in the namespace, fwpolicy's own parsed in full. A non-zero exit, anything on
     * stderr or output the parser does not understand is an error, never "no sets".
     */
    public KernelSets read() {
        return read(Optional.empty());
    }

    /** As {@link #read()}, returning {@code previous} itself when the tool printed exactly the same text. */
    public KernelSets read(Optional<KernelSets> previous) {
        CommandResult result;
        try {
            result = runner.run(new Command(List.of(IPSET, "save"), Optional.empty(), timeout));
        } catch (DataplaneException e) {
            if (e.getMessage().contains("not found on PATH")) {
                throw new DataplaneException("kernel sets need the ipset tool, which is not installed: " + e.getMessage(), e);
            }
            throw e;
        }
        if (!result.ok()) {
            throw new DataplaneException("ipset save failed (exit " + result.exitCode() + "); kernel sets need the ipset tool and"
                    + " ip_set support in the kernel (module ip_set, ip_set_hash_net): " + result.stderr().strip());
        }
        if (!result.stderr().isBlank()) throw new DataplaneException("ipset save printed on stderr: " + result.stderr().strip());
        if (previous.isPresent() && previous.get().raw().equals(result.stdout())) return previous.get();
        try {
            return IpsetSaveParser.parse(result.stdout());
        } catch (IpsetReadBackException e) {
            throw new DataplaneException(e.getMessage(), e);
        }
    }

    /**
     * Feeds {@code payload} to {@code ipset restore}. Returns the result whatever the exit code;
     * the caller decides, and has the payload to report. ipset runs the lines in order and
     * stops at the first failure: what ran before it stays, which the next read-back sees.
     */
    public CommandResult restore(String payload) {
        return runner.run(new Command(List.of(IPSET, "restore"), Optional.of(payload), timeout));
    }
}
