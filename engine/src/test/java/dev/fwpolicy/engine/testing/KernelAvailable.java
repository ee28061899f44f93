package dev.fwpolicy.engine.testing;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * jqwik's counterpart of {@link KernelSupport#requireKernel()}: skips kernel properties on a
 * machine without root/iptables, except under {@code CI=true}, where the property runs and its
 * first {@code requireKernel()} fails loudly.
 */
public final class KernelAvailable implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        var reason = KernelSupport.unavailableReason();
        return reason.isPresent() && !KernelSupport.ci() ? SkipResult.skip(reason.get()) : SkipResult.doNotSkip();
    }
}
