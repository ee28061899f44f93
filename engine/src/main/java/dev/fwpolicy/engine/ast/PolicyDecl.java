package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.List;
import java.util.Optional;

/**
 * {@code policy NAME [priority N] [audit] { … }}. Lower priority runs first; default 100.
 *
 * @param audit its decisions are recorded, not enforced: a would-deny is counted and logged and
 *              the packet goes on to the next policy (docs/language.md, "Audit")
 */
public record PolicyDecl(Name name, Optional<Priority> priority, boolean audit, List<PolicyItem> items, Span span)
        implements Declaration {

    public static final int DEFAULT_PRIORITY = 100;

    public record Priority(int value, Span span) {}

    public PolicyDecl {
        items = List.copyOf(items);
    }

    public int effectivePriority() {
        return priority.map(Priority::value).orElse(DEFAULT_PRIORITY);
    }
}
