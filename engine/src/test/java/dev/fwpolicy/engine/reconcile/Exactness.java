package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.iptables.KernelChain;
import dev.fwpolicy.engine.iptables.KernelRule;
import dev.fwpolicy.engine.iptables.KernelTable;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** "The kernel holds exactly the desired rules": every difference spelled out, for assertion messages. */
public final class Exactness {
    private Exactness() {}

    public static List<String> problems(KernelTable table, RuleSet desired, Family family) {
        var problems = new ArrayList<String>();
        var wantChains = new TreeSet<>(desired.chains(family).stream().map(OwnedChain::name).toList());
        var haveChains = new TreeSet<>(table.chains().values().stream()
                .filter(c -> !c.builtin() && ChainNames.isOwned(c.name())).map(KernelChain::name).toList());
        if (!wantChains.equals(haveChains)) problems.add(family + " owned chains: want " + wantChains + ", have " + haveChains);
        for (OwnedChain c : desired.chains(family)) {
            var want = c.rules().stream().map(RuleSpecs::spec).toList();
            var have = table.chain(c.name()).map(k -> k.rules().stream().map(KernelRule::spec).toList()).orElse(List.of());
            if (!want.equals(have)) problems.add(family + " " + c.name() + ": want " + want.size() + " rules " + want + "\n  have " + have.size() + " " + have);
        }
        for (KernelChain c : table.chains().values()) {
            if (!c.builtin()) continue;
            var want = desired.jumps(family).stream().filter(j -> j.chain().equals(c.name())).map(RuleSpecs::spec).toList();
            var have = c.rules().stream().filter(r -> r.id().isPresent()).map(KernelRule::spec).toList();
            if (!want.equals(have)) problems.add(family + " " + c.name() + " fwp1 rules: want " + want + ", have " + have);
        }
        return problems;
    }

    /** Everything fwpolicy does not own: non-owned chains with their rules, minus fwp1 rules in built-ins. */
    public static Map<String, List<String>> foreign(KernelTable table) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (KernelChain c : table.chains().values()) {
            if (ChainNames.isOwned(c.name()) && !c.builtin()) continue;
            out.put(":" + c.name() + " " + c.policy(), c.rules().stream().filter(r -> !(c.builtin() && r.id().isPresent()))
                    .map(KernelRule::saveLine).toList());
        }
        return out;
    }
}
