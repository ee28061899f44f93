package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandResult;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.net.Family;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An in-memory stand-in for iptables-save / iptables-restore (both families), so the
 * reconciler's loop (retries, failures, counting) is testable without root. Restores are
 * atomic like the real ones: a failing line leaves the table as it was.
 */
final class FakeKernel implements CommandRunner {
    final Map<Family, TableModel> tables = new EnumMap<>(Family.class);
    final List<Command> calls = new ArrayList<>();
    /** Runs after each successful restore: "someone else" changing the table meanwhile. */
    Consumer<FakeKernel> afterRestore = k -> {};

    FakeKernel() {
        for (Family f : Family.values()) tables.put(f, new TableModel(f));
    }

    @Override
    public CommandResult run(Command command) {
        calls.add(command);
        String tool = command.argv().get(0);
        Family family = tool.startsWith("ip6") ? Family.V6 : Family.V4;
        if (command.argv().contains("--version")) return ok(command, "iptables v1.8.9 (fake)\n");
        if (tool.endsWith("-save")) return ok(command, tables.get(family).saveText());
        if (tool.endsWith("-restore")) {
            var copy = tables.get(family).copy();
            try {
                copy.applyRestore(command.stdin().orElse(""));
            } catch (IllegalStateException e) {
                return new CommandResult(command, 1, "", "iptables-restore: line failed: " + e.getMessage() + "\n", Duration.ZERO);
            }
            tables.put(family, copy);
            afterRestore.accept(this);
            return ok(command, "");
        }
        return new CommandResult(command, 127, "", "fake kernel does not know " + tool, Duration.ZERO);
    }

    long restores() {
        return calls.stream().filter(c -> c.argv().get(0).endsWith("-restore")).count();
    }

    private static CommandResult ok(Command c, String out) {
        return new CommandResult(c, 0, out, "", Duration.ZERO);
    }
}
