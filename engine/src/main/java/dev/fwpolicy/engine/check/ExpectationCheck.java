package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.TestDecl;
import dev.fwpolicy.engine.diag.Diagnostics;
import java.util.Collection;

/** Checks test blocks: the policy they name exists, and each expected packet is a possible packet ({@link FlowCheck}). */
public final class ExpectationCheck {
    private ExpectationCheck() {}

    public static void run(Collection<TestDecl> tests, Collection<String> policyNames, Diagnostics diagnostics) {
        for (var test : tests) {
            String name = test.name().text();
            if (!policyNames.contains(name)) {
                diagnostics.error("undefined-name", test.name().span(), "test '" + name + "' names no policy"
                        + NameSuggester.hint(name, policyNames));
            }
            test.expectations().forEach(e -> FlowCheck.check(e.flow(), diagnostics));
        }
    }

}
