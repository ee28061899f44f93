package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network namespace the harness creates and always deletes: by {@link #close()}, and by a
 * shutdown hook (ctrl-c, a failure) for any still alive. Every kernel operation of the harness
 * happens inside one; the host's own ruleset is never touched. Names start with the run's
 * prefix ({@code fwp-bench-<random>}), so {@code benchmarks/run} can delete leftovers even after
 * a {@code kill -9}.
 */
final class Netns implements AutoCloseable {
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Netns::delete), "fwp-bench-netns-cleanup"));
    }

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    static Netns create(String prefix) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        String name = prefix + "-" + HexFormat.of().formatHex(b);
        LIVE.add(name);
        new ProcessCommandRunner().run(Command.of("ip", "netns", "add", name)).requireOk();
        return new Netns(name);
    }

    String name() {
        return name;
    }

    CommandRunner runner() {
        return new ProcessCommandRunner().inNetns(name);
    }

    @Override
    public void close() {
        delete(name);
    }

    private static void delete(String name) {
        if (!LIVE.remove(name)) return;
        new ProcessCommandRunner().run(Command.of("ip", "netns", "del", name));
    }
}
