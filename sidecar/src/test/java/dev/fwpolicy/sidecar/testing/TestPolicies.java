package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;

/** Small policies the service tests load, change and break. */
public final class TestPolicies {
    private TestPolicies() {}

    public static final String WEB = """
            policy web priority 10 {
              default inbound deny
              default outbound allow
              inbound {
                allow established
                allow tcp from 10.0.0.0/8 to port 80  "web"
              }
            }
            """;

    /** WEB with one more rule. */
    public static final String WEB_AND_SSH = """
            policy web priority 10 {
              default inbound deny
              default outbound allow
              inbound {
                allow established
                allow tcp from 10.0.0.0/8 to port 80  "web"
                allow tcp from 10.1.2.0/24 to port 22 "ssh from bastion"
              }
            }
            """;

    /** A syntax error and an unknown set name. */
    public static final String BROKEN = """
            policy web priority 10 {
              default inbound deny
              inbound {
                allow tcp from $nowhere to port 80
                allow tcp to port 99999
              }
            }
            """;

    public static RuleSet compile(String text) {
        return compile("web.fwpolicy", text);
    }

    /** The revision hashes the source names too: compile under the name the service will see. */
    public static RuleSet compile(String name, String text) {
        var result = new Compiler().compile(List.of(new SourceFile(name, text)));
        if (result.hasErrors()) throw new AssertionError("test policy does not compile: " + result.diagnostics());
        return result.ruleSet().orElseThrow();
    }
}
