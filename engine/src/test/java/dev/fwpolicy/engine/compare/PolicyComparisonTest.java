package dev.fwpolicy.engine.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyComparisonTest {

    static RuleSet compile(String file, String text) {
        var result = new Compiler().compile(List.of(new SourceFile(file, text)));
        if (result.hasErrors()) throw new AssertionError(result.diagnostics().toString());
        return result.ruleSet().orElseThrow();
    }

    private static final String WEB = """
            policy web priority 10 {
              default inbound deny
              inbound {
                allow established
                allow tcp from 10.0.0.0/8 to port 443
                allow icmp type echo-request
              }
            }
            """;

    @Test
    void theSamePolicyInAnotherFileChangesNothing() {
        assertEquals(List.of(), PolicyComparison.compare(compile("old.fwpolicy", WEB), compile("new/web.fwpolicy", WEB)));
    }

    @Test
    void aNarrowedSourceClosesExactlyTheAddressesLeftOut() {
        var after = WEB.replace("10.0.0.0/8", "10.0.0.0/9");
        var changes = PolicyComparison.compare(compile("old.fwpolicy", WEB), compile("new.fwpolicy", after));
        assertEquals(1, changes.size(), changes.toString());
        var c = changes.get(0);
        var p = c.packets();
        assertEquals(Direction.INBOUND, p.direction());
        assertEquals(Family.V4, p.family());
        assertEquals(ProtocolClass.TCP, p.protocol());
        assertEquals(List.of(Cidr.parseStrict("10.128.0.0/9").orElseThrow()), p.sources());
        assertEquals(List.of(PortRange.of(443)), p.destinationPorts());
        assertEquals(List.of(new PortRange(0, 65535)), p.sourcePorts());
        assertEquals(List.of(Cidr.all(Family.V4)), p.destinations());
        assertEquals(Optional.of(ConnState.NEW), p.state());
        assertEquals(Optional.of(false), p.loopback());
        assertEquals(Verdict.ALLOW, c.before().verdict());
        assertEquals("old.fwpolicy:5:5", c.before().location());
        assertEquals(Verdict.DENY, c.after().verdict());
        assertEquals("new.fwpolicy:2:3", c.after().location());
        assertTrue(c.closes());
    }

    @Test
    void aRemovedIcmpRuleClosesOneTypeAndAnOpenedPortRangeIsOneClass() {
        var after = WEB.replace("    allow icmp type echo-request\n", "    allow udp to port 8000-8100\n");
        var changes = PolicyComparison.compare(compile("old.fwpolicy", WEB), compile("new.fwpolicy", after));
        assertEquals(3, changes.size(), changes.toString());
        var icmp = changes.stream().filter(c -> c.packets().protocol() == ProtocolClass.ICMP).toList();
        assertEquals(1, icmp.size());
        assertEquals(List.of(new TypeRange(8, 8)), icmp.get(0).packets().icmpTypes());
        assertEquals(List.of(), icmp.get(0).packets().destinationPorts());
        var udp = changes.stream().filter(c -> c.packets().protocol() == ProtocolClass.UDP).toList();
        assertEquals(2, udp.size(), "one per family: " + udp);
        assertTrue(udp.stream().allMatch(c -> c.opens() && c.packets().destinationPorts().equals(List.of(new PortRange(8000, 8100)))));
    }

    @Test
    void rangesPrintAsTheFewestNetworks() {
        var before = WEB.replace("10.0.0.0/8", "10.0.0.1");
        var after = WEB.replace("10.0.0.0/8", "10.0.0.6");
        var changes = PolicyComparison.compare(compile("a.fwpolicy", before), compile("b.fwpolicy", after));
        assertEquals(2, changes.size(), changes.toString());
        assertEquals(List.of(Cidr.parseStrict("10.0.0.1/32").orElseThrow()), changes.get(0).packets().sources());
        assertEquals(List.of(Cidr.parseStrict("10.0.0.6/32").orElseThrow()), changes.get(1).packets().sources());
        var wide = PolicyComparison.compare(compile("a.fwpolicy", WEB.replace("10.0.0.0/8", "10.0.0.1")),
                compile("b.fwpolicy", WEB.replace("10.0.0.0/8", "10.0.0.0/29")));
        assertEquals(List.of("10.0.0.0/32", "10.0.0.2/31", "10.0.0.4/30"),
                wide.get(0).packets().sources().stream().map(Cidr::withPrefix).toList());
    }
}
