package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** {@code fwpolicy serve}'s command line: help, and refusals before anything starts. */
class ServeCommandTest {

    @Test
    void helpListsEveryFlagAndTheEndpoints() {
        var run = CliRun.of("serve", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--policy-dir=DIR", "--configmap=NAMESPACE/NAME", "--netns=NAME", "--backend=auto|nft|legacy",
                "--listen=HOST:PORT", "default: 127.0.0.1:9464", "--resync=DURATION", "default: 60s", "--min-sync-interval",
                "--token-file=FILE", "--remove-on-exit", "/v1/status", "POST /v1/sync", "--must-pass=FLOW",
                "--lease-period=DURATION", "default: 30s", "--pod-name=NAME");
    }

    @Test
    void exactlyOneSourceIsRequired() {
        var none = CliRun.of("serve");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("Missing required argument");
        var both = CliRun.of("serve", "--policy-dir", "/tmp", "--configmap", "default/x");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThat(CliRun.of("serve", "--policy-dir", "/tmp", "--listen", "nohost").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("serve", "--policy-dir", "/tmp", "--listen", "127.0.0.1:99999").exitCode()).isEqualTo(ExitCodes.USAGE);
        var resync = CliRun.of("serve", "--policy-dir", "/tmp", "--resync", "soon");
        assertThat(resync.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(resync.err()).contains("not a duration: 'soon'");
        var lease = CliRun.of("serve", "--configmap", "shop/web", "--lease-period", "often");
        assertThat(lease.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(lease.err()).contains("not a duration: 'often'");
    }

    @Test
    void listeningBeyondLoopbackNeedsATokenAndTlsNeedsBothFiles() {
        for (var address : List.of("0.0.0.0:9464", "10.1.2.3:9464", "[::]:9464")) {
            var open = CliRun.of("serve", "--policy-dir", "/nonexistent", "--listen", address);
            assertThat(open.exitCode()).as(address).isEqualTo(ExitCodes.USAGE);
            assertThat(open.err()).contains("--token-file").contains("--listen");
        }
        var certOnly = CliRun.of("serve", "--policy-dir", "/nonexistent", "--tls-cert", "/nonexistent.pem");
        assertThat(certOnly.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(certOnly.err()).contains("--tls-cert and --tls-key go together");
    }

    @Test
    void durationsAndListenAddresses() {
        var d = new DurationConverter();
        assertThat(d.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(d.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.convert("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> d.convert("-1s")).isInstanceOf(TypeConversionException.class);
        var l = new ListenAddress.Converter();
        assertThat(l.convert("127.0.0.1:9464")).isEqualTo(new ListenAddress("127.0.0.1", 9464));
        assertThat(l.convert("[::1]:80")).isEqualTo(new ListenAddress("::1", 80));
        assertThatThrownBy(() -> l.convert(":80")).isInstanceOf(TypeConversionException.class);
    }
}
