package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval} over an audited policy: the enforced verdict, and what audit would have done beside it, in text and JSON. */
class AuditEvalCommandTest {
    private static final String POLICY = """
            policy lockdown priority 5 audit {
              inbound {
                allow tcp from 10.0.0.0/8 to port 443
                deny tcp to port 22 "no ssh"
              }
            }
            policy base {
              default inbound deny audit
              inbound { allow established }
            }
            """;

    @Test
    void evalSaysAllowAndWhatWouldHaveDenied(@TempDir Path dir) throws Exception {
        var file = dir.resolve("audit.fwpolicy");
        Files.writeString(file, POLICY);
        String flow = "inbound tcp 10.1.2.3:40000 -> 10.0.0.2:22";
        var text = CliRun.of("eval", "--brief", file.toString(), "--flow", flow);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("=> ALLOW by " + file + ":8:3: default inbound deny audit")
                .contains("(audit: would deny by " + file + ":4:5; would deny by " + file + ":8:3)");

        var json = CliRun.of("eval", "--format", "json", file.toString(), "--flow", flow).json();
        assertThat(json.getString("verdict")).isEqualTo("allow");
        var audit = json.getJsonArray("audit");
        assertThat(audit.size()).isEqualTo(2);
        assertThat(audit.getJsonObject(0).getString("verdict")).isEqualTo("deny");
        assertThat(audit.getJsonObject(0).getString("location")).isEqualTo(file + ":4:5");
        assertThat(audit.getJsonObject(0).getJsonObject("rule").getString("policyName")).isEqualTo("lockdown");

        // a flow nothing audited would refuse carries no audit
        var https = CliRun.of("eval", "--format", "json", file.toString(), "--flow", "inbound tcp 10.1.2.3:40000 -> 10.0.0.2:443 established").json();
        assertThat(https.getString("verdict")).isEqualTo("allow");
        assertThat(https.containsKey("audit")).isFalse();
    }
}
