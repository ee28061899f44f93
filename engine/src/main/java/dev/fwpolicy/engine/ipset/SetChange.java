package dev.fwpolicy.engine.ipset;

/**
 * What one sync does (or found) for one owned set.
 *
 * @param missingMembers desired members the kernel set lacks (all of them when the set is missing)
 * @param extraMembers   kernel members that are not desired
 */
public record SetChange(String name, Kind kind, int missingMembers, int extraMembers) {

    public enum Kind {
        /** Exactly as desired; nothing written. */
        IN_SYNC,
        /** Absent: created and filled. */
        CREATED,
        /** A few members differ: {@code add}/{@code del} lines. */
        EDITED,
        /** Many members differ: a filled twin swapped in, so packets never see a half-updated set. */
        SWAPPED,
        /** Someone recreated it with another shape (maxelem, options): a twin of the right shape swapped in. */
        REPAIRED,
        /** Another type or family, unreferenced: destroyed and created again. */
        RECREATED,
        /**
         * Another type or family while only fwpolicy's own rules reference it: the reconciler
         * takes those rules out first, then the set is recreated and the rules written again.
         */
        RELEASE,
        /** Another type or family while another program's rule references it: cannot be fixed here (see {@link SetPlan#problems()}). */
        BLOCKED,
        /** Owned, no longer desired, no rule references it: destroyed. */
        DESTROYED,
        /** Owned, no longer desired, still referenced: destroyed by a later sync once the rules are gone. */
        DESTROY_PENDING,
        /** A twin left by an interrupted swap: destroyed. */
        TEMPORARY_DESTROYED
    }

    public boolean writes() {
        return kind != Kind.IN_SYNC && kind != Kind.BLOCKED && kind != Kind.DESTROY_PENDING && kind != Kind.RELEASE;
    }
}
