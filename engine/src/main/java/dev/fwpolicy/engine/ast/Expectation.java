package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.Optional;

/**
 * {@code expect VERDICT FLOW ["note"]}: one packet and the verdict it must get. The packet is
 * the same {@link FlowDescription} {@code eval --flow} and the HTTP API read.
 */
public record Expectation(Verdict verdict, FlowDescription flow, Optional<Note> note, Span span) {}
