package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/evaluate over a fake firewall: one flow, a batch, against the kernel, and bad requests. */
class EvaluateApiTest {
    private FakeFirewall firewall;
    private ServiceHarness svc;

    @BeforeEach
    void start() {
        firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), Optional.empty(), 1 << 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
    }

    @AfterEach
    void stop() throws Exception {
        svc.close();
    }

    private ServiceHarness.Reply post(String body) {
        return svc.post("/v1/evaluate", "application/json", body);
    }

    @Test
    void oneFlowNamesTheDecidingRuleWithATrace() {
        var r = post("{\"flow\": \"inbound tcp 10.1.2.3:40000 -> 10.0.0.2:80\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        var d = r.json().getJsonArray("decisions").getJsonObject(0);
        assertThat(d.getString("verdict")).isEqualTo("allow");
        assertThat(d.getString("location")).isEqualTo("web.fwpolicy:6:5");
        assertThat(d.getJsonArray("trace").size()).isGreaterThan(2);
        assertThat(r.json().getString("against")).isEqualTo("desired");
    }

    @Test
    void aBatchAnswersEveryFlowInOrderWithoutTraces() {
        var r = post("{\"flows\": [\"inbound tcp 10.1.2.3:40000 -> 10.0.0.2:80\", \"inbound tcp 192.168.1.1:40000 -> 10.0.0.2:80\","
                + " \"outbound udp [2001:db8::2]:5000 -> [2001:db8::53]:53\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        var ds = r.json().getJsonArray("decisions");
        assertThat(ds.size()).isEqualTo(3);
        assertThat(ds.getJsonObject(0).getString("verdict")).isEqualTo("allow");
        assertThat(ds.getJsonObject(1).getString("verdict")).isEqualTo("deny");
        assertThat(ds.getJsonObject(1).getString("text")).isEqualTo("default inbound deny");
        assertThat(ds.getJsonObject(2).getString("verdict")).isEqualTo("allow");
        assertThat(ds.getJsonObject(0).getJsonArray("trace")).isEmpty();
    }

    @Test
    void againstTheKernelATamperedRuleChangesTheAnswerAndIsListed() {
        var inSync = post("{\"flow\": \"inbound tcp 10.1.2.3:40000 -> 10.0.0.2:80\", \"against\": \"kernel\"}");
        assertThat(inSync.status()).as(inSync.body()).isEqualTo(200);
        assertThat(inSync.json().getJsonArray("drift")).isEmpty();
        assertThat(inSync.json().getJsonArray("decisions").getJsonObject(0).getString("verdict")).isEqualTo("allow");

        firewall.editKernel(spec -> spec.replace("--dport 80 ", "--dport 8080 "));
        var tampered = svc.post("/v1/evaluate?against=kernel", "application/json", "{\"flow\": \"inbound tcp 10.1.2.3:40000 -> 10.0.0.2:80\"}");
        assertThat(tampered.status()).as(tampered.body()).isEqualTo(200);
        var drift = tampered.json().getJsonArray("drift");
        assertThat(drift.size()).isEqualTo(1);
        assertThat(drift.getJsonObject(0).getString("status")).isEqualTo("tampered");
        assertThat(drift.getJsonObject(0).getString("location")).as("origin found by identity").isEqualTo("web.fwpolicy:6:5");
        assertThat(drift.getJsonObject(0).getString("kernel")).contains("--dport 8080");
        var d = tampered.json().getJsonArray("decisions").getJsonObject(0);
        assertThat(d.getString("verdict")).isEqualTo("deny");
        // The policy still says allow: the answers differ because the kernel does.
        assertThat(post("{\"flow\": \"inbound tcp 10.1.2.3:40000 -> 10.0.0.2:80\"}").json().getJsonArray("decisions")
                .getJsonObject(0).getString("verdict")).isEqualTo("allow");
    }

    @Test
    void badRequestsAre400WithACode() {
        var badFlow = post("{\"flow\": \"inbound tcp 10.1.2.3:1 -> example.com:80\"}");
        assertThat(badFlow.status()).isEqualTo(400);
        assertThat(badFlow.json().getString("code")).isEqualTo("BadFlow");
        var error = badFlow.json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("code")).isEqualTo("invalid-address");
        assertThat(error.getString("location")).as("a column of the flow text").isEqualTo("flow:1:27");
        assertThat(post("{\"flows\": [1]}").json().getString("code")).isEqualTo("BadField");
        assertThat(post("{\"flow\": \"inbound tcp 10.1.2.3:1 -> 10.0.0.2:80\", \"against\": \"both\"}").status()).isEqualTo(400);
        assertThat(post("not json").json().getString("code")).isEqualTo("BadJson");
        assertThat(post("").status()).isEqualTo(400);
    }
}
