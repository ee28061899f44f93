package dev.fwpolicy.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * The evaluator's kernel tests share the reconciler's precondition check
 * ({@link KernelSupport}: root, iproute2, both iptables backends) and add what they need on
 * top: python3, which sends and answers the real packets. Same rule: skipped with the reason
 * on a developer machine, a failure under {@code CI=true}, so a misconfigured runner can
 * never turn the kernel tests into silent passes.
 */
public final class KernelTestGuard {
    private KernelTestGuard() {}

    /** Call first in every evaluator kernel test. */
    public static void require() {
        var reason = missing();
        if (reason == null) return;
        if (isCi()) Assertions.fail(reason + " (CI=true makes kernel tests mandatory)");
        throw new TestAbortedException(reason + " (skipped; set CI=true to make this a failure)");
    }

    public static boolean isCi() {
        return KernelSupport.ci();
    }

    /** Why the evaluator's kernel tests cannot run here, or null when they can. */
    public static String missing() {
        String forced = System.getProperty("fwpolicy.kernelTest.forceMissing");
        if (forced != null) return "kernel test needs " + forced + " (forced by -Dfwpolicy.kernelTest.forceMissing)";
        var kernel = KernelSupport.unavailableReason();
        if (kernel.isPresent()) return kernel.get();
        return which("python3") == null ? "kernel test needs python3 on PATH (it sends the test packets)" : null;
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
