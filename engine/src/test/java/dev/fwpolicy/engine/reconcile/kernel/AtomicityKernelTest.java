package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.ReconcileException;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.TestRuleSets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invariant 4: a payload the kernel rejects part-way (a bad line after every real change of the
 * transaction, injected through the test hook) leaves the previous rule set fully in force, and
 * the error carries the exact payload and the tool's stderr.
 */
@Tag("kernel")
class AtomicityKernelTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "NFT,    -A FWP-INPUT -m nosuchmatchmodule --nosuchoption 1 -j ACCEPT",
        "LEGACY, -A FWP-INPUT -m nosuchmatchmodule --nosuchoption 1 -j ACCEPT",
        "NFT,    -D FWP-INPUT 9999",
        "LEGACY, -D FWP-INPUT 9999"})
    void rejectedPayloadLeavesThePreviousRuleSetInForce(Backend backend, String badLine) {
        KernelSupport.requireKernel();
        var before = TestRuleSets.generate(3, 4, 0);
        var after = TestRuleSets.generate(3, 4, 1);
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            KernelSupport.reconciler(netns, backend).sync(before);
            String v4 = KernelSupport.saveText(runner, backend, Family.V4);
            String v6 = KernelSupport.saveText(runner, backend, Family.V6);

            var options = ReconcilerOptions.defaults().withMaxAttempts(2)
                    .withPayloadHook(p -> p.replace("COMMIT\n", badLine + "\nCOMMIT\n"));
            var broken = KernelSupport.reconciler(runner, backend, options);
            assertThat(broken.plan(after).payloadLines()).as("the rejected transaction held real changes").isGreaterThan(10);
            assertThatThrownBy(() -> broken.sync(after))
                    .isInstanceOfSatisfying(ReconcileException.class, e -> {
                        assertThat(e.payload()).hasValueSatisfying(p -> assertThat(p).contains(badLine).contains("-A FWP-I-pol0"));
                        assertThat(e.stderr()).hasValueSatisfying(s -> assertThat(s).isNotBlank());
                    });

            assertThat(KernelSupport.saveText(runner, backend, Family.V4)).isEqualTo(v4);
            assertThat(KernelSupport.saveText(runner, backend, Family.V6)).isEqualTo(v6);
            var healthy = new Reconciler(KernelSupport.dataplane(runner, backend));
            assertThat(healthy.sync(before).wroteNothing()).as("previous rule set fully in force").isTrue();
            healthy.sync(after);
            for (Family f : Family.values()) {
                assertThat(Exactness.problems(KernelSupport.dataplane(runner, backend).read(f), after, f)).isEmpty();
            }
        }
    }
}
