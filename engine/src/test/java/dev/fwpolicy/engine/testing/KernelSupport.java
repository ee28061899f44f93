package dev.fwpolicy.engine.testing;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.BackendDetector;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.TableModel;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared by every kernel test: decides whether they can run, and talks to a test's network
 * namespace directly (to set up and damage state) or through a {@link Reconciler}.
 *
 * <p>Kernel tests need root and iptables (both backends), ip6tables and iproute2. Without them
 * they are skipped with the reason on a developer machine, and FAIL when {@code CI=true}: in
 * CI a missing tool must not turn into a green build that tested nothing.
 */
public final class KernelSupport {
    private static final List<String> TOOLS = List.of("ip", "iptables-nft-save", "iptables-nft-restore", "iptables-legacy-save",
            "iptables-legacy-restore", "ip6tables-nft-save", "ip6tables-nft-restore", "ip6tables-legacy-save",
            "ip6tables-legacy-restore", "iptables-nft", "iptables-legacy");
    private static volatile Optional<String> unavailable;

    private KernelSupport() {}

    /** Why kernel tests cannot run here, if they cannot. */
    public static synchronized Optional<String> unavailableReason() {
        if (unavailable == null) unavailable = probe();
        return unavailable;
    }

    private static Optional<String> probe() {
        var runner = new ProcessCommandRunner();
        try {
            String uid = runner.run(Command.of("id", "-u")).stdout().strip();
            if (!uid.equals("0")) return Optional.of("kernel tests need root (uid is " + uid + ")");
        } catch (RuntimeException e) {
            return Optional.of("cannot tell the uid: " + e.getMessage());
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/sbin:/sbin";
        var missing = TOOLS.stream().filter(t -> find(t, path).isEmpty()).toList();
        if (!missing.isEmpty()) return Optional.of("kernel tests need " + String.join(", ", missing) + " on PATH");
        return Optional.empty();
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Call first in every kernel test: skips (developer machine) or fails (CI) when the kernel is out of reach. */
    public static void requireKernel() {
        var reason = unavailableReason();
        if (reason.isPresent()) {
            if (ci()) throw new AssertionError("CI=true but " + reason.get() + ": kernel tests must run in CI");
            Assumptions.abort(reason.get() + " (skipped; set CI=true to make this a failure)");
        }
    }

    public static Optional<String> find(String program, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            var f = new File(dir, program);
            if (f.isFile() && f.canExecute()) return Optional.of(f.getPath());
        }
        return Optional.empty();
    }

    public static CommandRunner runner(Netns netns) {
        return new ProcessCommandRunner().inNetns(netns.name());
    }

    public static IptablesDataplane dataplane(CommandRunner runner, Backend backend) {
        return new IptablesDataplane(runner, new BackendDetector(runner).detect(choice(backend)));
    }

    public static Reconciler reconciler(Netns netns, Backend backend) {
        return new Reconciler(dataplane(runner(netns), backend));
    }

    public static Reconciler reconciler(CommandRunner runner, Backend backend, ReconcilerOptions options) {
        return new Reconciler(dataplane(runner, backend), options);
    }

    public static BackendChoice choice(Backend backend) {
        return backend == Backend.NFT ? BackendChoice.NFT : BackendChoice.LEGACY;
    }

    /** The read-back without the timestamped header/footer comments, for byte-for-byte comparisons. */
    public static String saveText(CommandRunner runner, Backend backend, Family family, String... tableArgs) {
        var argv = new ArrayList<String>(List.of(backend.save(family)));
        argv.addAll(List.of(tableArgs));
        String out = runner.run(new Command(argv, Optional.empty(), Command.DEFAULT_TIMEOUT)).requireOk().stdout();
        return out.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"));
    }

    /** Feeds a payload to the raw restore tool (test setup and damage, bypassing the reconciler). */
    public static void restore(CommandRunner runner, Backend backend, Family family, String payload) {
        runner.run(Command.of(backend.restore(family), "--noflush", "--wait").withStdin(payload)).requireOk();
    }

    /**
     * Makes the kernel hold exactly {@code model}'s owned chains and built-in chain rules, in one
     * transaction: owned chains are declared (flushed) and refilled, built-ins flushed and refilled,
     * owned chains absent from the model deleted.
     */
    public static void write(CommandRunner runner, Backend backend, TableModel model, List<String> ownedChainsInKernel) {
        var sb = new StringBuilder("*filter\n");
        var owned = new java.util.LinkedHashSet<String>(ownedChainsInKernel);
        owned.addAll(model.ownedChains());
        for (String c : owned) sb.append(':').append(c).append(" - [0:0]\n");
        for (String b : List.of("INPUT", "FORWARD", "OUTPUT")) sb.append("-F ").append(b).append('\n');
        model.rules.forEach((chain, specs) -> specs.forEach(s -> sb.append("-A ").append(chain).append(' ').append(s).append('\n')));
        for (String c : ownedChainsInKernel) if (!model.rules.containsKey(c)) sb.append("-X ").append(c).append('\n');
        sb.append("COMMIT\n");
        restore(runner, backend, model.family, sb.toString());
    }

    public static long countSyncWrites(List<String> calls) {
        return calls.stream().filter(c -> c.contains("-restore")).count();
    }

    public static String ruleSummary(RuleSet set) {
        return set.ruleCount() + " rules in " + set.chains().size() + " chains";
    }
}
