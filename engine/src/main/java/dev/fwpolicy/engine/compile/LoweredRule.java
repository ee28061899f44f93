package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.ast.RuleDecl;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;

/** One iptables rule produced from one written rule, before chains and identities are assigned. */
record LoweredRule(PolicyDecl policy, Direction direction, RuleDecl decl, Family family, Match match, Target target) {}
