package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Family;
import java.util.List;

/** A chain fwpolicy owns outright (FWP-…): after a sync it holds exactly these rules, in order. */
public record OwnedChain(Family family, String name, List<CompiledRule> rules) {

    public OwnedChain {
        rules = List.copyOf(rules);
    }
}
