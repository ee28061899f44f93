package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.DefaultDecl;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.Optional;

/** The verdict for packets no rule decides, and the declaration it came from (empty: implicit allow). */
record EffectiveDefault(Direction direction, Verdict verdict, Optional<PolicyDecl> policy, Optional<DefaultDecl> decl) {

    /** Recorded, not enforced: the packets it would refuse are counted, logged and accepted. */
    boolean audit() {
        return decl.map(DefaultDecl::audit).orElse(false);
    }

    static EffectiveDefault implicit(Direction direction) {
        return new EffectiveDefault(direction, Verdict.ALLOW, Optional.empty(), Optional.empty());
    }
}
