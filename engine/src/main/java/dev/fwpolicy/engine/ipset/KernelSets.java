package dev.fwpolicy.engine.ipset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ipset save} showed: fwpolicy's own sets (names starting {@code fwp-}), in the
 * order printed, and only the names of everyone else's, which fwpolicy never touches.
 *
 * @param raw the exact text read, so an unchanged read-back can be recognised cheaply
 */
public record KernelSets(Map<String, KernelSet> owned, List<String> foreign, String raw) {

    public KernelSets {
        owned = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(owned));
        foreign = List.copyOf(foreign);
    }

    public static KernelSets empty() {
        return new KernelSets(Map.of(), List.of(), "");
    }

    public Optional<KernelSet> get(String name) {
        return Optional.ofNullable(owned.get(name));
    }
}
