package dev.fwpolicy.engine.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpsetDataplaneTest {

    private static CommandRunner answering(int exit, String stdout, String stderr, java.util.List<Command> calls) {
        return c -> {
            calls.add(c);
            return new CommandResult(c, exit, stdout, stderr, Duration.ZERO);
        };
    }

    @Test
    void readsWithIpsetSaveAndWritesWithIpsetRestoreAsArgv() {
        var calls = new ArrayList<Command>();
        var dataplane = new IpsetDataplane(answering(0, "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\nadd fwp-a 10.0.0.0/8\n", "", calls));
        assertThat(dataplane.read().owned()).containsKey("fwp-a");
        dataplane.restore("add fwp-a 192.0.2.1/32\n");
        assertThat(calls).extracting(Command::argv).containsExactly(java.util.List.of("ipset", "save"), java.util.List.of("ipset", "restore"));
        assertThat(calls.get(1).stdin()).contains("add fwp-a 192.0.2.1/32\n");
    }

    @Test
    void sameTextReturnsThePreviousReadBack() {
        var calls = new ArrayList<Command>();
        var dataplane = new IpsetDataplane(answering(0, "create fwp-a hash:net family inet hashsize 1024 maxelem 65536\n", "", calls));
        var first = dataplane.read();
        assertThat(dataplane.read(Optional.of(first))).isSameAs(first);
    }

    @Test
    void missingToolIsAClearErrorAtStart() throws Exception {
        var empty = Files.createTempDirectory("fwp-no-ipset");
        try {
            assertThatThrownBy(() -> IpsetDataplane.open(new ProcessCommandRunner(Optional.of(empty.toString()))))
                    .isInstanceOf(DataplaneException.class).hasMessageContaining("need the ipset tool, which is not installed");
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    void missingKernelSupportFailedReadsAndNoisyReadsAreErrorsNotEmpty() {
        var calls = new ArrayList<Command>();
        assertThatThrownBy(() -> IpsetDataplane.open(answering(1, "", "ipset v7.17: Cannot open session to kernel.\n", calls)))
                .isInstanceOf(DataplaneException.class).hasMessageContaining("ip_set").hasMessageContaining("Cannot open session");
        assertThatThrownBy(() -> new IpsetDataplane(answering(0, "", "something odd\n", calls)).read())
                .isInstanceOf(DataplaneException.class).hasMessageContaining("stderr");
        assertThatThrownBy(() -> new IpsetDataplane(answering(0, "Name: fwp-a\n", "", calls)).read())
                .isInstanceOf(DataplaneException.class).hasMessageContaining("line 1");
    }
}
