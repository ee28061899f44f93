package dev.fwpolicy.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.NetnsPair;
import dev.fwpolicy.sidecar.loop.ReconcilerFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rule hits through the sidecar with real packets, both backends: /metrics, /v1/rules and
 * /v1/coverage follow the rule that decided; a duplicate copy that a repair deletes and a
 * counter zeroed by someone else keep the running total (no loss, no double count).
 */
@Tag("kernel")
class RuleHitsServeKernelTest {
    private static final String POLICY = """
            policy hits {
              default inbound deny
              inbound {
                allow established
                allow tcp from 10.99.0.2 to port 8080 "web"
                allow udp to port 5353 "mdns"
              }
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void countersReachMetricsRulesAndCoverageAndSurviveRepairs(String backend) throws Exception {
        KernelSupport.requireKernel();
        var rules = TestPolicies.compile(POLICY);
        String web = rules.allRules().filter(r -> r.origin().note().filter("web"::equals).isPresent()).findFirst().orElseThrow().id();
        String mdns = rules.allRules().filter(r -> r.origin().note().filter("mdns"::equals).isPresent()
                && r.family() == dev.fwpolicy.engine.net.Family.V4).findFirst().orElseThrow().id();
        try (var net = new NetnsPair()) {
            net.ipBatch(net.server, List.of("address add 10.99.0.1/24 dev fwps"));
            net.ipBatch(net.client, List.of("address add 10.99.0.2/24 dev fwpc"));
            var firewall = ReconcilerFirewall.open(Optional.of(net.server), backend);
            try (var h = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("hits.fwpolicy", POLICY))),
                    ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> h.snapshot().ready());
                syn(net);
                sync(h);
                assertThat(metric(h, web)).isEqualTo(1);

                // A second copy of the rule in front of it takes the next packet; the sync deletes that copy.
                String spec = net.exec(net.server, null, "iptables-" + backend + "-save", "-t", "filter").lines()
                        .filter(l -> l.contains(web)).findFirst().orElseThrow().replaceFirst("^-A FWP-I-hits ", "");
                net.exec(net.server, null, "sh", "-c", "iptables-" + backend + " -w -I FWP-I-hits 1 " + spec);
                syn(net);
                var repair = sync(h);
                assertThat(repair.getJsonObject("counts").getInteger("removed")).isEqualTo(1);
                assertThat(metric(h, web)).as("the deleted copy's packet is kept").isEqualTo(2);
                sync(h);
                assertThat(metric(h, web)).as("and not counted twice").isEqualTo(2);

                // Someone zeroes the chain's counters: the total goes on from where it was.
                net.exec(net.server, null, "iptables-" + backend, "-w", "-Z", "FWP-I-hits");
                sync(h);
                assertThat(metric(h, web)).isEqualTo(2);
                syn(net);
                sync(h);
                assertThat(metric(h, web)).isEqualTo(3);

                var listed = h.get("/v1/rules").json().getJsonArray("rules").stream().map(o -> (JsonObject) o)
                        .filter(o -> o.getString("id").equals(web)).findFirst().orElseThrow();
                assertThat(listed.getLong("packets")).isEqualTo(3);
                assertThat(listed.getLong("packetsSinceStart")).isEqualTo(3);
                assertThat(listed.getLong("bytes")).isEqualTo(3 * 60);

                var coverage = h.get("/v1/coverage").json();
                var unhit = coverage.getJsonArray("unhit").stream().map(o -> ((JsonObject) o).getString("id")).toList();
                assertThat(unhit).contains(mdns).doesNotContain(web);
                assertThat(coverage.getInteger("unhitCount")).isEqualTo(unhit.size());
                assertThat(coverage.getInteger("ruleCount")).isGreaterThan(unhit.size());

                // The CLI twin, from the kernel's own counters.
                var file = java.nio.file.Files.createTempFile("hits", ".fwpolicy");
                try {
                    java.nio.file.Files.writeString(file, POLICY);
                    var out = new java.io.StringWriter();
                    var cl = dev.fwpolicy.sidecar.cli.FwpolicyCommand.commandLine();
                    cl.setOut(new java.io.PrintWriter(out, true));
                    int code = cl.execute("state", "--netns", net.server, "--backend", backend, "--coverage", "--format", "json",
                            file.toString());
                    assertThat(code).as(out.toString()).isZero();
                    var cli = dev.fwpolicy.sidecar.testing.JsonVocabulary.check(new JsonObject(out.toString()), "state --coverage");
                    var cliUnhit = cli.getJsonArray("unhit").stream().map(o -> ((JsonObject) o).getString("id")).toList();
                    assertThat(cliUnhit).contains(mdns).doesNotContain(web);
                } finally {
                    java.nio.file.Files.delete(file);
                }
            }
        }
    }

    /** One SYN to the allowed port: nothing listens, the kernel answers RST, nothing retries. */
    private static void syn(NetnsPair net) {
        net.exec(net.client, null, "python3", "-c", "import socket; s=socket.socket(); s.settimeout(2); "
                + "print(s.connect_ex(('10.99.0.1', 8080)))");
    }

    private static JsonObject sync(ServiceHarness h) {
        var reply = h.post("/v1/sync", "application/json", "{}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static long metric(ServiceHarness h, String rule) {
        var body = h.get("/metrics").body();
        var m = Pattern.compile("(?m)^fwpolicy_rule_packets_total\\{policy=\"hits\",rule=\"" + Pattern.quote(rule) + "\"[^}]*} (\\S+)$")
                .matcher(body);
        assertThat(m.find()).as("series for %s in\n%s", rule, body.lines().filter(l -> l.startsWith("fwpolicy_rule")).toList()).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
