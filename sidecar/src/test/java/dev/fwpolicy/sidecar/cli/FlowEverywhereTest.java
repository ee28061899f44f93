package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One flow validator with one meaning: the same flow words as an {@code expect} line, as
 * {@code eval --flow} and as an HTTP {@code POST /v1/evaluate} flow get the same verdict or the
 * same diagnostic code (and the two flow-text paths the same column).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowEverywhereTest {
    @TempDir
    static Path dir;
    private ServiceHarness svc;
    private Path policy;

    @BeforeAll
    void start() throws Exception {
        policy = dir.resolve("web.fwpolicy");
        Files.writeString(policy, TestPolicies.WEB);
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        svc = new ServiceHarness(new FakeFirewall(), source, ServiceHarness.fastLoop(), Optional.empty(), 1 << 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
    }

    @AfterAll
    void stop() throws Exception {
        svc.close();
    }

    private JsonObject http(String flow) {
        var r = svc.post("/v1/evaluate", "application/json", new JsonObject().put("flow", flow).encode());
        var json = r.json();
        json.put("status", r.status());
        return json;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "allow | inbound tcp from 10.1.2.3 port 40000 to 10.0.0.2 port 80",
            "deny  | inbound tcp from 192.168.1.1 port 40000 to 10.0.0.2 port 80",
            "allow | inbound tcp from 10.1.2.3 to port 80",
            "deny  | inbound udp from 2001:db8::1 to 2001:db8::2 port 53",
            "allow | outbound icmpv6 from 2001:db8::1 to 2001:db8::2 type echo-request",
            "allow | inbound tcp from 192.168.1.1 port 40000 to 10.0.0.2 port 80 via lo",
            "allow | inbound udp from 2001:db8::1 to 2001:db8::2 port 53 via lo"})
    void aFlowGetsTheSameVerdictEverywhere(String verdict, String flow) throws Exception {
        Files.writeString(dir.resolve("t.fwpolicy"), "test web {\n  expect " + verdict + " " + flow + "\n}\n");
        var test = CliRun.of("test", policy.toString(), dir.resolve("t.fwpolicy").toString());
        assertThat(test.exitCode()).as(test.out() + test.err()).isZero();
        var eval = CliRun.of("eval", policy.toString(), "--flow", flow);
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("=> " + verdict.toUpperCase());
        var http = http(flow);
        assertThat(http.getInteger("status")).as(http.encode()).isEqualTo(200);
        assertThat(http.getJsonArray("decisions").getJsonObject(0).getString("verdict")).isEqualTo(verdict);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "family-mismatch        | 9  | inbound icmp from 2001:db8::1 to 2001:db8::2 type echo-request",
            "family-mismatch        | 9  | inbound icmp 2001:db8::1 -> 2001:db8::2 type echo-request",
            "family-mismatch        | 1  | inbound tcp from 10.0.0.1 to 2001:db8::2",
            "invalid-port           | 30 | inbound udp to 10.0.0.2 port 70000",
            "icmp-type-without-icmp | 30 | inbound tcp to 10.0.0.2 type echo-request",
            "invalid-icmp-type      | 31 | inbound icmp to 10.0.0.2 type bogus",
            "port-without-protocol  | 14 | inbound icmp to 10.0.0.2 port 5",
            "invalid-address        | 18 | inbound tcp from 10.0.0.0/8 to 10.0.0.2",
            "syntax                 | 13 | inbound tcp frm 10.0.0.1",
            "syntax                 | 31 | inbound tcp from 10.0.0.1 via eth0",
            "syntax                 | 42 | inbound tcp 10.0.0.1:1 -> 10.0.0.2:2 via eth0"})
    void aBadFlowGetsTheSameDiagnosticEverywhere(String code, int column, String flow) throws Exception {
        boolean arrow = flow.contains("->");
        if (!arrow) {
            var file = dir.resolve("bad.fwpolicy");
            Files.writeString(file, "test web {\n  expect allow " + flow + "\n}\n");
            var check = CliRun.of("check", policy.toString(), file.toString());
            assertThat(check.exitCode()).isNotZero();
            // The expect line starts at column 3 and its flow after "expect allow ", 13 more: a
            // problem of the whole flow is located where the flow starts, as in eval --flow.
            String located = "bad.fwpolicy:2:" + (column + 15) + ": error[" + code + "]";
            assertThat(check.out() + check.err()).contains(located);
        }
        var eval = CliRun.of("eval", policy.toString(), "--flow", flow);
        assertThat(eval.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(eval.err()).contains("--flow:1:" + column + ": error[" + code + "]");
        var http = http(flow);
        assertThat(http.getInteger("status")).isEqualTo(400);
        assertThat(http.getString("code")).isEqualTo("BadFlow");
        var error = http.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("location")).isEqualTo("flow:1:" + column);
    }
}
