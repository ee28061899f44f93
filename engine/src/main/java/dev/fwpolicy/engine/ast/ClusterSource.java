package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** Where a dynamic set's members come from, as written. */
public sealed interface ClusterSource permits PodsSource, ServiceSource {
    Span span();

    /** The source in its one canonical layout, spelling kept: {@code pods "app=web" in shop}. */
    String text();
}
