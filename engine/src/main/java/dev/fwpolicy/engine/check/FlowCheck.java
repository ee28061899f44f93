package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.FlowDescription;
import dev.fwpolicy.engine.ast.FlowEndpoint;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.parser.FlowParser;
import java.util.Optional;

/**
 * The one flow validator: whether a described packet is a possible packet. {@code expect}
 * lines, {@code eval --flow} and the HTTP API all come through here, so one flow text gets the
 * same diagnostics everywhere. {@code icmp} with IPv6 addresses is a {@code family-mismatch},
 * as it is in rules: ICMPv6 is written {@code icmpv6}.
 */
public final class FlowCheck {
    private FlowCheck() {}

    /**
     * Reads flow text (either spelling, see {@link FlowParser}) and checks it: the flow, or
     * empty with the reasons in {@code diagnostics}, located at columns of {@code text}.
     */
    public static Optional<FlowDescription> read(String file, String text, Diagnostics diagnostics) {
        int errorsBefore = diagnostics.errorCount();
        var flow = FlowParser.parse(file, text, diagnostics);
        flow.ifPresent(f -> check(f, diagnostics));
        return diagnostics.errorCount() > errorsBefore ? Optional.empty() : flow;
    }

    public static void check(FlowDescription flow, Diagnostics diagnostics) {
        Optional<Protocol> protocol = flow.protocol().map(p -> p.protocol());
        for (var ep : java.util.List.of(flow.source(), flow.destination())) {
            ep.flatMap(FlowEndpoint::port).ifPresent(p -> {
                if (protocol.isEmpty() || !protocol.get().hasPorts()) {
                    diagnostics.error("port-without-protocol", ep.get().span(),
                            "a port needs 'tcp', 'udp' or 'sctp' in the flow");
                }
            });
        }
        var srcFamily = flow.source().flatMap(FlowEndpoint::address).map(a -> a.family());
        var dstFamily = flow.destination().flatMap(FlowEndpoint::address).map(a -> a.family());
        if (srcFamily.isPresent() && dstFamily.isPresent() && srcFamily.get() != dstFamily.get()) {
            diagnostics.error("family-mismatch", flow.span(), "a packet has one address family, but its source and destination differ");
        }
        var family = srcFamily.or(() -> dstFamily);
        if (protocol.isPresent() && family.isPresent() && !protocol.get().families().contains(family.get())) {
            diagnostics.error("family-mismatch", flow.protocol().get().span(), "'" + protocol.get().keyword()
                    + "' does not exist in " + (family.get() == Family.V4 ? "IPv4" : "IPv6")
                    + " (use 'icmp' for IPv4, 'icmpv6' for IPv6)");
        }
        flow.icmpType().ifPresent(t -> {
            if (protocol.isEmpty() || !protocol.get().isIcmp()) {
                diagnostics.error("icmp-type-without-icmp", t.span(), "'type' needs the protocol 'icmp' or 'icmpv6'");
            } else if (IcmpTypes.lookup(protocol.get(), t.text()).isEmpty()) {
                diagnostics.error("invalid-icmp-type", t.span(), "'" + t.text() + "' is not an " + protocol.get().keyword()
                        + " type" + NameSuggester.hint(t.text(), IcmpTypes.names(protocol.get()).keySet()));
            }
        });
    }
}
