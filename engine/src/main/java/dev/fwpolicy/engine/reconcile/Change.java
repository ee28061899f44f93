package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.net.Family;
import java.util.Optional;

/**
 * One human-readable line of a diff: what happens to one rule or chain, and why.
 *
 * @param id   the rule's fwp1 identity, when it has one
 * @param line the save line concerned (the desired one for ADD/MOVE/REPAIR, the kernel's for REMOVE)
 */
public record Change(Kind kind, Family family, String chain, Optional<String> id, String line) {

    public enum Kind { ADD, REMOVE, MOVE, REPAIR, CREATE_CHAIN, DELETE_CHAIN }
}
