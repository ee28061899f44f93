package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Family;

/**
 * One rule of the canonical rule set, as values: no backend's text. How a backend writes it
 * (for iptables, {@code iptables.RuleSpecs}) is that backend's business.
 *
 * @param id     the content hash, the rule's identity; the backend carries it into the kernel
 *               (iptables: the first comment, {@code fwp1:<id>})
 * @param family which address family's table holds it
 * @param chain  the chain it lives in (an owned FWP-… chain, or INPUT/OUTPUT for the jumps)
 * @param match  what it matches
 * @param target what it does
 * @param label  the words a human reads beside the identity in the kernel (the policy name and
 *               the author's note; never a line number, so moving a rule rewrites nothing);
 *               written as given, the backend sanitises and cuts it
 * @param origin the statement that produced it
 */
public record CompiledRule(String id, Family family, String chain, Match match, Target target, String label,
                           RuleOrigin origin) {}
