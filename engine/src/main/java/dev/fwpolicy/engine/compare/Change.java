package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.vocabulary.Verdict;

/** A class of packets whose verdict differs, and what decides it before and after. */
public record Change(PacketClass packets, Outcome before, Outcome after) {

    /** Allowed now, not before. */
    public boolean opens() {
        return after.verdict() == Verdict.ALLOW && before.verdict() != Verdict.ALLOW;
    }

    /** Allowed before, not now. */
    public boolean closes() {
        return before.verdict() == Verdict.ALLOW && after.verdict() != Verdict.ALLOW;
    }
}
