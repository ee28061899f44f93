package dev.fwpolicy.engine.testing;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * jqwik's way to skip a whole kernel test container cleanly (an exception in a
 * {@code @BeforeContainer} counts as an error, not a skip). Under {@code CI=true} it never
 * skips, so the container's own {@link KernelTestGuard#require} fails instead.
 */
public final class KernelSkipHook implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String reason = KernelTestGuard.missing();
        if (reason == null || KernelTestGuard.isCi()) return SkipResult.doNotSkip();
        return SkipResult.skip(reason + " (skipped; set CI=true to make this a failure)");
    }
}
