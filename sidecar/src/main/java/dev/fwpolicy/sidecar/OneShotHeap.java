package dev.fwpolicy.sidecar;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Heap growth for the commands that run once and exit (check, compile, apply, …).
 *
 * <p>sidecar/jvm.options sizes the heap for {@code serve}, which lives for weeks in a 320 MB
 * pod: a small young generation and an old generation grown only 10 % past what is live
 * ({@code MinHeapFreeRatio=10}). A one-shot command that builds 100 MB of rule set from
 * nothing pays for that policy with a full collection at every 10 % of growth: about 20 of
 * them for 40,000 rules, marking everything built so far each time, a quarter of the run.
 * Growing by the most {@code MaxHeapFreeRatio} allows instead leaves a third of the
 * collections. The flag is manageable, so it is set here rather than in a second options file
 * the launcher, the image and the benchmarks would each have to choose between.
 */
final class OneShotHeap {
    private OneShotHeap() {}

    /** Every command but {@code serve}, which keeps the options file's heap for its whole life. */
    static boolean appliesTo(String[] args) {
        return args.length == 0 || !args[0].equals("serve");
    }

    static void grow() {
        try {
            var vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            var most = vm.getVMOption("MaxHeapFreeRatio").getValue();
            vm.setVMOption("MinHeapFreeRatio", most);
        } catch (RuntimeException | LinkageError notThisJvm) {
            // Another JVM, a runtime without java.management, or a flag that is not manageable
            // there: the command runs as it would have.
        }
    }
}
