package dev.fwpolicy.sidecar.loop;

import java.util.Optional;

/**
 * One line of a diff.
 *
 * @param kind ADD, REMOVE, MOVE, REPAIR, CREATE_CHAIN or DELETE_CHAIN
 * @param line the save line concerned (desired for ADD/MOVE/REPAIR, the kernel's for REMOVE)
 */
public record PlannedChange(String kind, String family, String chain, Optional<String> id, String line) {}
