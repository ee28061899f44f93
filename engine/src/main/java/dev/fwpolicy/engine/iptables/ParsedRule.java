package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.Target;
import java.util.Optional;

/**
 * A printed rule read back into the IR.
 *
 * @param id the fwp1 identity ({@link IdentityComment#idIn}), if the rule carries one
 */
public record ParsedRule(Match match, Target target, Optional<String> id) {}
