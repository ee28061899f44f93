package dev.fwpolicy.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class OneShotHeapTest {
    @Test
    void oneShotCommandsGrowTheHeapByTheMostTheOptionsAllowAndServeKeepsThem() {
        assertThat(OneShotHeap.appliesTo(new String[] {"check", "x.fwpolicy"})).isTrue();
        assertThat(OneShotHeap.appliesTo(new String[] {})).isTrue();
        assertThat(OneShotHeap.appliesTo(new String[] {"serve", "--policy-dir", "d"})).isFalse();

        var vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String before = vm.getVMOption("MinHeapFreeRatio").getValue();
        try {
            vm.setVMOption("MinHeapFreeRatio", "0");
            OneShotHeap.grow();
            assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(vm.getVMOption("MaxHeapFreeRatio").getValue());
        } finally {
            vm.setVMOption("MinHeapFreeRatio", before);
        }
    }
}
