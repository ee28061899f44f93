package dev.fwpolicy.sidecar.serve;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.eval.LockoutGuard;
import dev.fwpolicy.sidecar.fleet.LeaseKeeper;
import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.loop.LoopSettings;
import dev.fwpolicy.sidecar.loop.LoopTime;
import dev.fwpolicy.sidecar.loop.PrimedCompile;
import dev.fwpolicy.sidecar.source.ClusterFeed;
import java.util.Optional;

/**
 * How {@code fwpolicy serve} runs, apart from what it syncs (the firewall) and where the policy
 * comes from (the source).
 *
 * @param loop           when the loop syncs
 * @param api            where and how the HTTP API listens
 * @param removeOnExit   take fwpolicy's rules out on stop instead of leaving them in force
 * @param compiler       the first policy's compile, possibly already under way
 * @param time           the loop's clock and timers (virtual in tests)
 * @param checker        what {@code POST /v1/check} compiles with: the same limits and kernel-set
 *                       threshold as the loop's compiler, so a check answers for what a reload would do
 * @param guard          the must-pass flows: a policy that would cut one off is refused by reloads and
 *                       {@code POST /v1/check} alike
 * @param ruleMetricsMax the most per-rule hit series in /metrics ({@code --rule-metrics-max})
 * @param cluster        where dynamic sets' members come from: none, {@code --cluster-state} files, or
 *                       the cluster watches; the loop's {@code compiler} and {@code POST /v1/check}
 *                       compile with its {@link ClusterFeed#input()}
 * @param lease          the Lease that tells the cluster what this pod enforces (ConfigMap mode)
 */
public record SidecarOptions(LoopSettings loop, ApiSettings api, boolean removeOnExit, PrimedCompile compiler,
                             LoopTime time, Compiler checker, LockoutGuard guard, int ruleMetricsMax,
                             ClusterFeed cluster, Optional<LeaseKeeper> lease) {

    /** Real time, a compiler that starts when the first policy arrives, rules left in force on stop, no cluster. */
    public static SidecarOptions of(LoopSettings loop, ApiSettings api) {
        return new SidecarOptions(loop, api, false, new PrimedCompile(), LoopTime.system(), new Compiler(), LockoutGuard.NONE, 2000,
                ClusterFeed.fixed(ClusterInput.NONE), Optional.empty());
    }

    public SidecarOptions withRemoveOnExit(boolean remove) {
        return new SidecarOptions(loop, api, remove, compiler, time, checker, guard, ruleMetricsMax, cluster, lease);
    }

    public SidecarOptions withCompiler(PrimedCompile primed) {
        return new SidecarOptions(loop, api, removeOnExit, primed, time, checker, guard, ruleMetricsMax, cluster, lease);
    }

    /** The compiler behind both the loop and {@code POST /v1/check} (serve's compile options). */
    public SidecarOptions withCompiler(Compiler compiler, PrimedCompile primed) {
        return new SidecarOptions(loop, api, removeOnExit, primed, time, compiler, guard, ruleMetricsMax, cluster, lease);
    }

    public SidecarOptions withTime(LoopTime clock) {
        return new SidecarOptions(loop, api, removeOnExit, compiler, clock, checker, guard, ruleMetricsMax, cluster, lease);
    }

    public SidecarOptions withGuard(LockoutGuard mustPass) {
        return new SidecarOptions(loop, api, removeOnExit, compiler, time, checker, mustPass, ruleMetricsMax, cluster, lease);
    }

    /** Members of dynamic sets: the loop's compiler must compile with {@code feed.input()}. */
    public SidecarOptions withCluster(ClusterFeed feed) {
        return new SidecarOptions(loop, api, removeOnExit, compiler, time, checker, guard, ruleMetricsMax, feed, lease);
    }

    public SidecarOptions withRuleMetricsMax(int max) {
        return new SidecarOptions(loop, api, removeOnExit, compiler, time, checker, guard, max, cluster, lease);
    }

    public SidecarOptions withLease(Optional<LeaseKeeper> keeper) {
        return new SidecarOptions(loop, api, removeOnExit, compiler, time, checker, guard, ruleMetricsMax, cluster, keeper);
    }
}
