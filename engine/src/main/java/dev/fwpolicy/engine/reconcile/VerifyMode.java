package dev.fwpolicy.engine.reconcile;

/**
 * When a sync checks what it wrote.
 *
 * <ul>
 *   <li>{@link #AFTER_WRITE} (the default): read every family back right after writing, learn
 *       what the kernel printed for the rules just written, and plan again; another write round
 *       follows when the table still differs. A sync returns only once the kernel has been seen
 *       to hold the rule set. Costs a second full read-back per written family.</li>
 *   <li>{@link #ON_NEXT_READ}: when every restore exits 0, its transaction committed, so the
 *       sync returns without reading back (one read-back per family per sync, as the raw tools
 *       would). The next sync's or plan's read-back is the verification: it first learns the
 *       kernel's print of the rules written last time, then plans, and repairs anything that
 *       differs (someone changing the table between our read and our write). A rejected restore
 *       falls back to {@link #AFTER_WRITE} for that sync. For a caller that syncs again anyway
 *       (the sidecar's periodic resync); a one-shot {@code fwpolicy apply} keeps the default.</li>
 * </ul>
 */
public enum VerifyMode {
    AFTER_WRITE, ON_NEXT_READ
}
