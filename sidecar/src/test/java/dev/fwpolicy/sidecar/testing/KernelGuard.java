package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import java.io.File;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the sidecar's kernel tests can run: root, iproute2 and both iptables backends. On a
 * developer machine without them they are skipped with the reason; under {@code CI=true} they
 * fail, so a CI image missing a tool never passes by testing nothing. (The same rule as the
 * engine's KernelSupport, which lives in the engine's test sources.)
 */
public final class KernelGuard {
    private static final List<String> TOOLS = List.of("ip", "iptables-nft-save", "iptables-nft-restore",
            "iptables-legacy-save", "iptables-legacy-restore", "ip6tables-nft-save", "ip6tables-nft-restore",
            "ip6tables-legacy-save", "ip6tables-legacy-restore");

    private KernelGuard() {}

    public static void require() {
        var reason = unavailable();
        if (reason.isEmpty()) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + reason.get() + ": kernel tests must run in CI");
        }
        Assumptions.abort(reason.get() + " (skipped; set CI=true to make this a failure)");
    }

    private static Optional<String> unavailable() {
        try {
            var uid = new ProcessCommandRunner().run(Command.of("id", "-u")).stdout().strip();
            if (!uid.equals("0")) return Optional.of("kernel tests need root (uid is " + uid + ")");
        } catch (RuntimeException e) {
            return Optional.of("cannot tell the uid: " + e.getMessage());
        }
        var path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/sbin:/sbin";
        var missing = TOOLS.stream().filter(t -> !onPath(t, path)).toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of("kernel tests need " + String.join(", ", missing));
    }

    private static boolean onPath(String program, String path) {
        for (var dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, program).canExecute()) return true;
        }
        return false;
    }
}
