package dev.fwpolicy.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.parser.Limits;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.loop.PrimedCompile;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/check} answers for what a reload would do: it compiles with serve's own
 * compiler (limits, {@code --kernel-sets-above}), not with the defaults.
 */
class CheckCompilerTest {

    private static final String THREE_NETWORKS = """
            policy p {
              set clients = { 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24 }
              inbound {
                allow tcp from $clients to port 443
              }
            }
            """;

    @Test
    void checkUsesServesKernelSetThreshold() throws Exception {
        var serves = new Compiler(Limits.DEFAULT.withKernelSetThreshold(1));
        int expected = serves.compile(List.of(new SourceFile("request.fwpolicy", THREE_NETWORKS))).ruleSet().orElseThrow().ruleCount();
        int withDefaults = new Compiler().compile(List.of(new SourceFile("request.fwpolicy", THREE_NETWORKS))).ruleSet().orElseThrow().ruleCount();
        assertThat(expected).as("threshold 1 makes the set a kernel set: fewer rules").isLessThan(withDefaults);

        var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                .withCompiler(serves, new PrimedCompile(serves::compile));
        try (var svc = new ServiceHarness(new FakeFirewall(), v -> new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                options)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            var reply = svc.post("/v1/check", "text/plain", THREE_NETWORKS);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getBoolean("ok")).isTrue();
            assertThat(reply.json().getInteger("ruleCount")).isEqualTo(expected);
        }
    }
}
