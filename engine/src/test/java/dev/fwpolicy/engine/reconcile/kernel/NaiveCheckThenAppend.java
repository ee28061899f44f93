package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.SpecTokens;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * TEST ONLY. What kube-router 2.0.1–2.1.2 did: ask {@code iptables -C} whether each rule
 * exists and {@code -A} it when the answer is no. Exists to prove the no-{@code -C} test can
 * see the failure fwpolicy avoids; production code must never do this.
 */
final class NaiveCheckThenAppend {
    private final CommandRunner runner;
    private final Backend backend;

    NaiveCheckThenAppend(CommandRunner runner, Backend backend) {
        this.runner = runner;
        this.backend = backend;
    }

    void sync(RuleSet desired) {
        for (Family f : Family.values()) {
            String iptables = backend.cli(f);
            for (OwnedChain chain : desired.chains(f)) runner.run(Command.of(iptables, "-w", "-N", chain.name()));
            List<CompiledRule> rules = new ArrayList<>(desired.jumps(f));
            desired.chains(f).forEach(c -> rules.addAll(c.rules()));
            for (CompiledRule r : rules) {
                var check = new ArrayList<>(List.of(iptables, "-w", "-C", r.chain()));
                check.addAll(split(RuleSpecs.spec(r)));
                if (!runner.run(new Command(check, java.util.Optional.empty(), Command.DEFAULT_TIMEOUT)).ok()) {
                    var append = new ArrayList<>(List.of(iptables, "-w", "-A", r.chain()));
                    append.addAll(split(RuleSpecs.spec(r)));
                    runner.run(new Command(append, java.util.Optional.empty(), Command.DEFAULT_TIMEOUT)).requireOk();
                }
            }
        }
    }
    static List<String> split(String spec) {
        return SpecTokens.split(spec);
    }
}
