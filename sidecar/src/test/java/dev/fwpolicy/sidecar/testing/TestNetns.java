package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network namespace for one test, always deleted: by {@link #close()}, and by a shutdown hook
 * for any an interrupted run left behind. Kernel tests never touch the host's own rules.
 */
public final class TestNetns implements AutoCloseable {
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ProcessCommandRunner HOST = new ProcessCommandRunner();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TestNetns::delete), "fwp-netns-cleanup"));
    }

    public final String name;

    private TestNetns(String name) {
        this.name = name;
    }

    public static TestNetns create() {
        KernelGuard.require();
        var bytes = new byte[5];
        RANDOM.nextBytes(bytes);
        var name = "fwp-test-" + HexFormat.of().formatHex(bytes);
        HOST.run(Command.of("ip", "netns", "add", name)).requireOk();
        LIVE.add(name);
        return new TestNetns(name);
    }

    /** Runs a command inside the namespace and returns its stdout (fails on a non-zero exit). */
    public String run(List<String> argv, String stdin) {
        var full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(argv);
        var command = Command.of(full.toArray(String[]::new));
        if (stdin != null) command = command.withStdin(stdin);
        return HOST.run(command).requireOk().stdout();
    }

    /** {@code <backend>-save -t filter} inside the namespace. */
    public String save(String backend) {
        return run(List.of("iptables-" + backend + "-save", "-t", "filter"), null);
    }

    /** Feeds a payload to {@code iptables-<backend>-restore --noflush}: how a test damages the rules. */
    public void restore(String backend, String payload) {
        run(List.of("iptables-" + backend + "-restore", "--noflush"), payload);
    }

    @Override
    public void close() {
        delete(name);
    }

    private static void delete(String name) {
        if (LIVE.remove(name)) HOST.run(Command.of("ip", "netns", "del", name)).requireOk();
    }
}
