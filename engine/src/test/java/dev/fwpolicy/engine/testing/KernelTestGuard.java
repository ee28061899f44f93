package dev.fwpolicy.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * Shared precondition of every test that touches a real kernel (tagged {@code kernel}):
 * root, iproute2 and the iptables binaries. On a developer machine without them the test
 * is skipped with the reason; in CI ({@code CI=true}) a missing precondition is a failure,
 * so a misconfigured runner can never turn the kernel tests into silent passes.
 */
public final class KernelTestGuard {
    private static final List<String> TOOLS = List.of("ip", "iptables-nft-restore", "iptables-nft-save",
            "ip6tables-nft-restore", "ip6tables-nft-save", "iptables-legacy-restore", "iptables-legacy-save",
            "ip6tables-legacy-restore", "ip6tables-legacy-save", "python3");

    private KernelTestGuard() {}

    /** Call first in every kernel test. */
    public static void require(String... extraTools) {
        var reason = missing(extraTools);
        if (reason == null) return;
        if (isCi()) Assertions.fail(reason + " (CI=true makes kernel tests mandatory)");
        throw new TestAbortedException(reason + " (skipped; set CI=true to make this a failure)");
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Why kernel tests cannot run here, or null when they can. */
    public static String missing(String... extraTools) {
        String forced = System.getProperty("fwpolicy.kernelTest.forceMissing");
        if (forced != null) return "kernel test needs " + forced + " (forced by -Dfwpolicy.kernelTest.forceMissing)";
        var missing = new ArrayList<String>();
        if (!isRoot()) missing.add("root (network namespaces and iptables need CAP_NET_ADMIN)");
        var tools = new ArrayList<>(TOOLS);
        tools.addAll(List.of(extraTools));
        for (var tool : tools) if (which(tool) == null) missing.add(tool + " on PATH");
        return missing.isEmpty() ? null : "kernel test needs " + String.join(", ", missing);
    }

    static boolean isRoot() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }

    public static Path which(String tool) {
        var path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (var dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            var p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
