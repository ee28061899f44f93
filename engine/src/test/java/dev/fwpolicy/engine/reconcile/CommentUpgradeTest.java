package dev.fwpolicy.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernel comments used to carry {@code <policy>:<line>}; they now carry the policy name and the
 * note only (a line inserted at the top of a file must not rewrite every comment). The identity
 * is the same fwp1 hash, so an upgraded fwpolicy finds its rules over an old kernel, repairs the
 * old comments in place once, and is quiet from then on.
 */
class CommentUpgradeTest {

    @Test
    void anUpgradeRepairsTheOldCommentsOnceInPlace() throws Exception {
        var text = Files.readString(Path.of("../examples/policies/web/web.fwpolicy"));
        RuleSet desired = new Compiler().compile(List.of(new SourceFile("web.fwpolicy", text))).ruleSet().orElseThrow();
        var kernel = new FakeKernel();
        int old = 0;
        for (Family f : Family.values()) {
            var table = TableModel.of(desired, f);
            for (var rules : table.rules.values()) {
                for (int i = 0; i < rules.size(); i++) {
                    String before = rules.get(i);
                    String after = oldComment(before, desired);
                    if (!after.equals(before)) old++;
                    rules.set(i, after);
                }
            }
            kernel.tables.put(f, table);
        }
        assertThat(old).as("rules written by a policy statement carried a line number").isGreaterThan(10);

        var reconciler = new Reconciler(new IptablesDataplane(kernel, new DetectedBackend(Backend.NFT, "fake", "test")));
        var plans = new java.util.ArrayList<Plan>();
        var first = reconciler.sync(desired, v -> plans.add(v.plan()));
        assertThat(first.counts()).isEqualTo(new ChangeCounts(0, 0, 0, old, desired.ruleCount() - old));
        assertThat(plans.get(0).problems()).allSatisfy(d -> assertThat(d.status()).isEqualTo(DriftStatus.TAMPERED));
        assertThat(plans.get(0).families().stream().flatMap(p -> p.ops().stream()))
                .as("repaired in place, nothing deleted or re-inserted in owned chains")
                .allSatisfy(op -> assertThat(op).isInstanceOf(PlanOp.ReplaceRule.class));
        for (Family f : Family.values()) {
            assertThat(kernel.tables.get(f).saveText()).doesNotContainPattern("web-frontend:\\d");
        }
        var second = reconciler.sync(desired);
        assertThat(second.wroteNothing()).isTrue();
    }

    /** The comment an fwpolicy of before this change wrote: the policy name followed by {@code :<line>}. */
    private static String oldComment(String spec, RuleSet desired) {
        for (CompiledRule r : desired.allRules().toList()) {
            if (!spec.contains("fwp1:" + r.id() + " ")) continue;
            RuleOrigin o = r.origin();
            if (o.policy().isEmpty() || o.span().line() <= 0) return spec;
            String policy = o.policy().get();
            if (o.kind() == RuleOrigin.Kind.RULE) return spec.replace("fwp1:" + r.id() + " " + policy, "fwp1:" + r.id() + " " + policy + ":" + o.span().line());
            if (o.kind() == RuleOrigin.Kind.DEFAULT) return spec.replace(" " + policy + "\"", " " + policy + ":" + o.span().line() + "\"");
            return spec;
        }
        return spec;
    }
}
