package dev.fwpolicy.engine.testing;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network namespace created for one test and always deleted: by {@link #close()}, and by a
 * shutdown hook for any a crashed or interrupted test left behind. Every kernel operation of the
 * tests happens inside one, never on the host's own ruleset.
 */
public final class Netns implements AutoCloseable {
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Netns::delete), "fwp-netns-cleanup"));
    }

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    public static Netns create() {
        KernelSupport.requireKernel();
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        String name = "fwp-test-" + HexFormat.of().formatHex(b);
        new ProcessCommandRunner().run(Command.of("ip", "netns", "add", name)).requireOk();
        LIVE.add(name);
        return new Netns(name);
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace and returns its stdout (fails on a non-zero exit). */
    public String run(List<String> argv, Optional<String> stdin) {
        var full = new ArrayList<String>(List.of("ip", "netns", "exec", name));
        full.addAll(argv);
        var command = Command.of(full.toArray(String[]::new));
        if (stdin.isPresent()) command = command.withStdin(stdin.get());
        return new ProcessCommandRunner().run(command).requireOk().stdout();
    }

    /** {@code iptables-<backend>-save -t filter} inside the namespace. */
    public String save(String backend) {
        return run(List.of("iptables-" + backend + "-save", "-t", "filter"), Optional.empty());
    }

    /** Feeds a payload to {@code iptables-<backend>-restore --noflush}: how a test damages the rules. */
    public void restore(String backend, String payload) {
        run(List.of("iptables-" + backend + "-restore", "--noflush"), Optional.of(payload));
    }

    @Override
    public void close() {
        delete(name);
    }

    private static void delete(String name) {
        if (!LIVE.remove(name)) return;
        new ProcessCommandRunner().run(Command.of("ip", "netns", "del", name)).requireOk();
    }
}
