package dev.fwpolicy.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.NetnsPair;
import dev.fwpolicy.sidecar.loop.ReconcilerFirewall;
import dev.fwpolicy.sidecar.testing.JsonVocabulary;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Audit with real packets, both backends: a packet an audited policy and the audited default
 * would deny passes (the client is answered), and is counted per policy in /v1/audit and
 * fwpolicy_audit_would_deny_packets_total; an enforced rule after them still decides.
 */
@Tag("kernel")
class AuditServeKernelTest {
    private static final String POLICY = """
            policy trial priority 10 audit {
              inbound {
                deny tcp to port 8080 "trial"
                allow tcp to port 7070
              }
            }
            policy base priority 20 {
              default inbound deny audit
              inbound {
                allow established
                deny tcp to port 7070
              }
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void aWouldDenyPassesAndIsCounted(String backend) throws Exception {
        KernelSupport.requireKernel();
        try (var net = new NetnsPair()) {
            net.ipBatch(net.server, List.of("address add 10.99.0.1/24 dev fwps"));
            net.ipBatch(net.client, List.of("address add 10.99.0.2/24 dev fwpc"));
            var firewall = ReconcilerFirewall.open(Optional.of(net.server), backend);
            try (var h = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("audit.fwpolicy", POLICY))),
                    ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> h.snapshot().ready());
                // Nothing listens: a packet that gets through is answered with a reset (refused), a dropped one times out.
                assertThat(connect(net, 8080)).as("would-deny by trial and by the default: passes").isEqualTo("refused");
                assertThat(connect(net, 7070)).as("audited allow decides nothing: base denies").isEqualTo("timeout");
                sync(h);

                var audit = h.get("/v1/audit").json();
                var byPolicy = new java.util.HashMap<String, Long>();
                audit.getJsonArray("policies").forEach(o -> byPolicy.put(((JsonObject) o).getString("policyName"),
                        ((JsonObject) o).getLong("packets")));
                assertThat(byPolicy).isEqualTo(java.util.Map.of("trial", 1L, "base", 1L));
                assertThat(audit.getLong("wouldDenyPackets")).isEqualTo(2);
                var trialRule = audit.getJsonArray("rules").stream().map(o -> (JsonObject) o)
                        .filter(o -> "trial".equals(o.getString("policyName"))).findFirst().orElseThrow();
                assertThat(trialRule.getString("location")).isEqualTo("audit.fwpolicy:3:5");
                assertThat(trialRule.getLong("packets")).isEqualTo(1);

                String metrics = h.get("/metrics").body();
                assertThat(value(metrics, "trial")).isEqualTo(1);
                assertThat(value(metrics, "base")).isEqualTo(1);
            }
        }
    }

    private static String connect(NetnsPair net, int port) {
        return net.exec(net.client, null, "python3", "-c", "import socket, errno\ns = socket.socket()\ns.settimeout(1.5)\n"
                + "try:\n  r = s.connect_ex(('10.99.0.1', " + port + "))\nexcept socket.timeout:\n  r = errno.ETIMEDOUT\n"
                + "print('refused' if r == errno.ECONNREFUSED else 'timeout' if r in (errno.EAGAIN, errno.ETIMEDOUT) else r)").strip();
    }

    private static void sync(ServiceHarness h) {
        var reply = h.post("/v1/sync", "application/json", "{}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static long value(String metrics, String policy) {
        var m = Pattern.compile("(?m)^fwpolicy_audit_would_deny_packets_total\\{policy=\"" + policy + "\"[^}]*} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(metrics.lines().filter(l -> l.contains("audit")).toList().toString()).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
