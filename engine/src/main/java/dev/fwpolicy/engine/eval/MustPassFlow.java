package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.check.FlowCheck;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.source.Span;
import java.util.List;
import java.util.Optional;

/**
 * A flow every policy must allow ({@code --must-pass}, or the API server a ConfigMap-driven
 * sidecar needs to receive its next policy): a policy that denies it, or denies its replies, is
 * refused by the {@link LockoutGuard}.
 *
 * @param text   the flow as written
 * @param origin where it came from, as the diagnostics name it ({@code --must-pass}, {@code api-server})
 * @param span   the flow text's own span (file = origin), for a lockout no policy line explains
 * @param flows  the packet(s) it stands for: one per address family it may be in
 */
public record MustPassFlow(String text, String origin, Span span, List<Flow> flows) {

    public MustPassFlow {
        flows = List.copyOf(flows);
        if (flows.isEmpty()) throw new IllegalArgumentException("a must-pass flow stands for at least one packet");
    }

    /**
     * Reads flow text in either spelling through the one flow validator, as {@code eval --flow}
     * does: the flow, or empty with the reasons in {@code diagnostics} (file = {@code origin}).
     */
    public static Optional<MustPassFlow> read(String origin, String text, Diagnostics diagnostics) {
        return FlowCheck.read(origin, text, diagnostics)
                .map(d -> new MustPassFlow(text, origin, d.span(), Flow.of(d)));
    }
}
