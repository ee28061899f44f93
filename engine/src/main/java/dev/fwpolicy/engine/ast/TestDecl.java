package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/**
 * {@code test POLICY { expect … }}: expectations about the whole compiled rule set (what the
 * kernel would do), grouped under the policy they are about.
 */
public record TestDecl(Name name, List<Expectation> expectations, Span span) implements Declaration {

    public TestDecl {
        expectations = List.copyOf(expectations);
    }
}
