package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalAndTestCommandTest {
    @TempDir
    Path dir;

    CliRun run(String... args) {
        return CliRun.of(args);
    }

    Path write(String name, String text) throws Exception {
        var p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static final String POLICY = """
            policy web {
              default inbound deny
              inbound {
                allow tcp from 192.168.10.0/24 to port 443 "office"
                reject udp to port 53
              }
            }
            """;

    @Test
    void evalNamesTheDecidingRuleAsFileLineColumn() throws Exception {
        var file = write("web.fwpolicy", POLICY);
        var r = run("eval", file.toString(), "--flow", "inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("=> ALLOW by " + file + ":4:5: allow tcp from 192.168.10.0/24 to port 443 \"office\"");
        var deny = run("eval", file.toString(), "--flow", "inbound tcp 10.9.9.9:40000 -> 10.0.0.2:443");
        assertThat(deny.out()).contains("=> DENY by " + file + ":2:3: default inbound deny")
                .contains("no match (source: 10.9.9.9 is not in 192.168.10.0/24)");
    }

    @Test
    void evalJson() throws Exception {
        var file = write("web.fwpolicy", POLICY);
        var r = run("eval", file.toString(), "--format", "json", "--flow", "inbound udp [2001:db8::1]:5000 -> [2001:db8::2]:53");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var json = r.json();
        assertThat(json.getString("verdict")).isEqualTo("reject");
        assertThat(json.getJsonObject("rule").getString("location")).matches(".*:5:\\d+");
        assertThat(json.getJsonObject("rule").getString("family")).isEqualTo("ipv6");
        assertThat(json.getJsonArray("trace").size()).isGreaterThan(2);
    }

    @Test
    void evalRejectsABadFlowAsUsage() throws Exception {
        var file = write("web.fwpolicy", POLICY);
        var r = run("eval", file.toString(), "--flow", "inbound tcp 192.168.10.7:1 -> example.com:443");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--flow:1:31: error[invalid-address]: not an IP address: 'example.com'");
    }

    @Test
    void testFailsWithTheExpectationLocationAndDecidingRule() throws Exception {
        var file = write("web.fwpolicy", POLICY + """
                test web {
                  expect allow inbound tcp from 192.168.10.7 to port 443
                  expect allow inbound tcp from 10.1.1.1 to port 443
                }
                """);
        var r = run("test", file.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains(file + ":10:3: expectation failed: expect allow inbound tcp from 10.1.1.1 to port 443")
                .contains("expected allow, got deny (ipv4)")
                .contains("decided by " + file + ":2:3: default inbound deny")
                .contains("FAILED: 2 expectation check(s) in 1 test block(s), 1 failed");
    }

    @Test
    void checkReportsAFailedExpectationWithItsSourceLine() throws Exception {
        var file = write("web.fwpolicy", POLICY + """
                test web {
                  expect allow inbound tcp from 10.1.1.1 to port 443
                }
                """);
        var r = run("check", file.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains(file + ":9:3: error[expectation-failed]: expected allow, got deny (ipv4), decided by "
                        + file + ":2:3: default inbound deny")
                .contains("9 |   expect allow inbound tcp from 10.1.1.1 to port 443");
    }

    @Test
    void coverageAndThreshold() throws Exception {
        var file = write("web.fwpolicy", POLICY + """
                test web {
                  expect allow inbound tcp from 192.168.10.7 to port 443
                  expect reject inbound udp from 10.0.0.1 to port 53
                }
                """);
        var ok = run("test", file.toString(), "--coverage");
        assertThat(ok.exitCode()).isZero();
        // allow (v4 only: its address is IPv4) + reject (v4 and v6) = 3; the v6 reject is not reached.
        assertThat(ok.out()).contains("coverage: 66.7% (2 of 3 rules reached)").contains("reject udp to port 53")
                .contains("ipv6  -A FWP-I-web");
        assertThat(run("test", file.toString(), "--threshold", "60").exitCode()).isZero();
        var json = run("test", file.toString(), "--threshold", "80", "--format", "json").json();
        assertThat(json.getBoolean("ok")).isFalse(); // all expectations hold, but coverage is under 80 %
        assertThat(json.getInteger("failedCount")).isZero();
        assertThat(json.getJsonObject("coverage").getJsonArray("uncovered").size()).isEqualTo(1);
        var under = run("test", file.toString(), "--threshold", "80");
        assertThat(under.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(under.out()).contains("coverage 66.7% is below the threshold of 80.0%");
    }

    /** The examples are the documentation's promise: every expectation holds and reaches every rule. */
    @Test
    void everyExampleDirectoryPassesItsTestsWithFullCoverage() {
        var examples = Path.of("..", "examples", "policies");
        try (var dirs = Files.list(examples)) {
            for (var d : dirs.filter(Files::isDirectory).sorted().toList()) {
                // An example with dynamic sets takes their members from examples/cluster-state/<example>.json.
                var state = Path.of("..", "examples", "cluster-state", d.getFileName() + ".json");
                var r = Files.exists(state) ? run("test", "--cluster-state", state.toString(), d.toString(), "--threshold", "100")
                        : run("test", d.toString(), "--threshold", "100");
                assertThat(r.exitCode()).as(d + "\n" + r.out() + r.err()).isZero();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
