package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.Expectation;
import dev.fwpolicy.engine.ast.FlowEndpoint;
import dev.fwpolicy.engine.ast.ProtocolRef;
import dev.fwpolicy.engine.ast.TestDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.Protocol;
import java.util.Collection;
import java.util.Optional;

/** Checks test blocks: the policy they name exists, and each expected packet is a possible packet. */
public final class ExpectationCheck {
    private ExpectationCheck() {}

    public static void run(Collection<TestDecl> tests, Collection<String> policyNames, Diagnostics diagnostics) {
        for (var test : tests) {
            String name = test.name().text();
            if (!policyNames.contains(name)) {
                diagnostics.error("undefined-name", test.name().span(), "test '" + name + "' names no policy"
                        + NameSuggester.hint(name, policyNames));
            }
            test.expectations().forEach(e -> check(e, diagnostics));
        }
    }

    private static void check(Expectation e, Diagnostics diagnostics) {
        Optional<Protocol> protocol = e.protocol().map(ProtocolRef::protocol);
        for (var endpoint : new Optional[] {e.source(), e.destination()}) {
            @SuppressWarnings("unchecked")
            Optional<FlowEndpoint> ep = endpoint;
            ep.flatMap(FlowEndpoint::port).ifPresent(p -> {
                if (protocol.isEmpty() || !protocol.get().hasPorts()) {
                    diagnostics.error("port-without-protocol", ep.get().span(), "a port needs 'tcp', 'udp' or 'sctp' in the expectation");
                }
            });
        }
        var srcFamily = e.source().flatMap(FlowEndpoint::address).map(a -> a.family());
        var dstFamily = e.destination().flatMap(FlowEndpoint::address).map(a -> a.family());
        if (srcFamily.isPresent() && dstFamily.isPresent() && srcFamily.get() != dstFamily.get()) {
            diagnostics.error("family-mismatch", e.span(), "a packet has one address family, but 'from' and 'to' differ");
        }
        var family = srcFamily.or(() -> dstFamily);
        if (protocol.isPresent() && family.isPresent() && !protocol.get().families().contains(family.get())) {
            diagnostics.add(Diagnostic.error("family-mismatch", e.protocol().get().span(), "'" + protocol.get().keyword()
                    + "' does not exist in " + (family.get() == dev.fwpolicy.engine.net.Family.V4 ? "IPv4" : "IPv6")
                    + " (use 'icmp' for IPv4, 'icmpv6' for IPv6)"));
        }
        e.icmpType().ifPresent(t -> {
            if (protocol.isEmpty() || !protocol.get().isIcmp()) {
                diagnostics.error("icmp-type-without-icmp", t.span(), "'type' needs the protocol 'icmp' or 'icmpv6'");
            } else if (IcmpTypes.lookup(protocol.get(), t.text()).isEmpty()) {
                diagnostics.error("invalid-icmp-type", t.span(), "'" + t.text() + "' is not an " + protocol.get().keyword()
                        + " type" + NameSuggester.hint(t.text(), IcmpTypes.names(protocol.get()).keySet()));
            }
        });
    }

}
