package dev.fwpolicy.engine.parser;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.vocabulary.ConnState;

import dev.fwpolicy.engine.ast.*;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.grammar.FwpolicyParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.fwpolicy.grammar.FwpolicyParserVisitor;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.AbstractParseTreeVisitor;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the immutable AST from a parse tree that has no syntax errors. Literal values
 * (addresses, CIDRs, ports, priorities) are checked here, where their token position is
 * known, and reported as positioned diagnostics.
 *
 * <p>It implements the generated visitor, one method per labelled alternative (and per rule
 * with one alternative), with no default: an alternative added to the grammar does not compile
 * until it is built here. Each method returns the AST type of its rule; {@link #build} and
 * {@link #built} dispatch to the right alternative and give that type back.
 */
final class AstBuilder extends AbstractParseTreeVisitor<Object> implements FwpolicyParserVisitor<Object> {
    private final String file;
    private final Diagnostics diagnostics;
    private final ClusterLiterals clusterLiterals;

    AstBuilder(String file, Diagnostics diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
        this.clusterLiterals = new ClusterLiterals(file, diagnostics);
    }

    List<Declaration> build(PolicyFileContext ctx) {
        return visitPolicyFile(ctx);
    }

    /** The AST node of a rule with several alternatives, built by the alternative's method. */
    private <T> T build(ParserRuleContext ctx, Class<T> type) {
        return type.cast(ctx.accept(this));
    }

    /** As {@link #build}, for the rules whose literals may be invalid (reported, then left out). */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> built(ParserRuleContext ctx) {
        return (Optional<T>) ctx.accept(this);
    }

    private <C extends ParserRuleContext, T> Optional<T> optional(C ctx, java.util.function.Function<C, T> build) {
        return Optional.ofNullable(ctx).map(build);
    }

    // ---- declarations ----

    @Override
    public List<Declaration> visitPolicyFile(PolicyFileContext ctx) {
        return ctx.declaration().stream().map(d -> build(d, Declaration.class)).toList();
    }

    @Override
    public PolicyDecl visitPolicyDecl(PolicyDeclContext ctx) {
        Optional<PolicyDecl.Priority> priority = Optional.empty();
        if (ctx.priority != null) {
            var span = span(ctx.priority);
            priority = parseInt(ctx.priority.getText(), 0, 1_000_000, span, "invalid-priority",
                    "priority must be a whole number from 0 to 1000000")
                    .map(v -> new PolicyDecl.Priority(v, span));
        }
        var items = new ArrayList<PolicyItem>();
        for (var item : ctx.policyItem()) {
            // A setting with a value out of range is reported and left out; every other item always builds.
            if (item instanceof KernelSetsDeclContext k) visitKernelSetsDecl(k).ifPresent(items::add);
            else items.add(build(item, PolicyItem.class));
        }
        return new PolicyDecl(name(ctx.name), priority, ctx.audit != null, items, span(ctx));
    }

    @Override
    public TestDecl visitTestDecl(TestDeclContext ctx) {
        var expectations = ctx.expectation().stream().map(this::visitExpectation).toList();
        return new TestDecl(name(ctx.name), expectations, span(ctx));
    }

    // ---- policy items ----

    @Override
    public DefaultDecl visitDefaultDecl(DefaultDeclContext ctx) {
        return new DefaultDecl(build(ctx.direction(), Direction.class), build(ctx.verdict(), Verdict.class), ctx.audit != null, span(ctx));
    }

    @Override
    public AddressSetDecl visitAddressSetDecl(AddressSetDeclContext ctx) {
        return new AddressSetDecl(name(ctx.name), build(ctx.addressSet(), AddressSet.class), span(ctx));
    }

    @Override
    public DynamicSetDecl visitDynamicSetDecl(DynamicSetDeclContext ctx) {
        return new DynamicSetDecl(name(ctx.name), build(ctx.memberSource(), ClusterSource.class), span(ctx));
    }

    @Override
    public PortSetDecl visitPortSetDecl(PortSetDeclContext ctx) {
        return new PortSetDecl(name(ctx.name), build(ctx.portSet(), PortSet.class), span(ctx));
    }

    @Override
    public DirectionBlock visitDirectionBlock(DirectionBlockContext ctx) {
        var rules = ctx.ruleDecl().stream().map(r -> build(r, RuleDecl.class)).toList();
        return new DirectionBlock(build(ctx.direction(), Direction.class), rules, span(ctx));
    }

    @Override
    public Optional<KernelSetsDecl> visitKernelSetsDecl(KernelSetsDeclContext ctx) {
        var valueSpan = span(ctx.threshold);
        return parseInt(ctx.threshold.getText(), 1, Limits.DEFAULT_MAX_SET_MEMBERS, valueSpan, "invalid-threshold",
                "kernel-sets above needs a whole number from 1 to " + Limits.DEFAULT_MAX_SET_MEMBERS
                        + " (a set with more networks than that in a family becomes a kernel set)")
                .map(v -> new KernelSetsDecl(v, span(ctx)));
    }

    // ---- dynamic sets ----

    @Override
    public ClusterSource visitPodsSource(PodsSourceContext ctx) {
        Optional<NamespaceRef> namespaces = optional(ctx.podNamespaces(), n -> build(n, NamespaceRef.class));
        return new PodsSource(Optional.ofNullable(ctx.selector).map(clusterLiterals::selector), namespaces, span(ctx));
    }

    @Override
    public ClusterSource visitServiceSource(ServiceSourceContext ctx) {
        return clusterLiterals.service(ctx.service, span(ctx));
    }

    @Override
    public NamespaceRef visitSelectedNamespaces(SelectedNamespacesContext ctx) {
        return new NamespaceSelector(clusterLiterals.selector(ctx.selector), span(ctx));
    }

    @Override
    public NamespaceRef visitNamedNamespace(NamedNamespaceContext ctx) {
        return clusterLiterals.namespace(ctx.namespace);
    }

    // ---- keywords ----

    @Override
    public Direction visitInbound(InboundContext ctx) {
        return Direction.INBOUND;
    }

    @Override
    public Direction visitOutbound(OutboundContext ctx) {
        return Direction.OUTBOUND;
    }

    @Override
    public Verdict visitAllow(AllowContext ctx) {
        return Verdict.ALLOW;
    }

    @Override
    public Verdict visitDeny(DenyContext ctx) {
        return Verdict.DENY;
    }

    @Override
    public Verdict visitReject(RejectContext ctx) {
        return Verdict.REJECT;
    }

    @Override
    public Action visitVerdictAction(VerdictActionContext ctx) {
        return Action.of(build(ctx.verdict(), Verdict.class));
    }

    @Override
    public Action visitLogAction(LogActionContext ctx) {
        return Action.LOG;
    }

    @Override
    public ProtocolRef visitTcp(TcpContext ctx) {
        return new ProtocolRef(Protocol.TCP, span(ctx));
    }

    @Override
    public ProtocolRef visitUdp(UdpContext ctx) {
        return new ProtocolRef(Protocol.UDP, span(ctx));
    }

    @Override
    public ProtocolRef visitSctp(SctpContext ctx) {
        return new ProtocolRef(Protocol.SCTP, span(ctx));
    }

    @Override
    public ProtocolRef visitIcmp(IcmpContext ctx) {
        return new ProtocolRef(Protocol.ICMP, span(ctx));
    }

    @Override
    public ProtocolRef visitIcmpv6(Icmpv6Context ctx) {
        return new ProtocolRef(Protocol.ICMPV6, span(ctx));
    }

    // ---- rules ----

    @Override
    public EstablishedRule visitEstablishedRule(EstablishedRuleContext ctx) {
        return new EstablishedRule(build(ctx.action(), Action.class), note(ctx.note), span(ctx));
    }

    @Override
    public MatchRule visitMatchRule(MatchRuleContext ctx) {
        return new MatchRule(
                build(ctx.action(), Action.class),
                optional(ctx.protocol(), p -> build(p, ProtocolRef.class)),
                optional(ctx.source(), this::visitSource),
                optional(ctx.destination(), d -> build(d, Destination.class)),
                optional(ctx.icmpType(), this::visitIcmpType),
                note(ctx.note),
                span(ctx));
    }

    @Override
    public Source visitSource(SourceContext ctx) {
        return new Source(build(ctx.addresses(), Addresses.class), optional(ctx.portSet(), p -> build(p, PortSet.class)), span(ctx));
    }

    @Override
    public Destination visitAddressDestination(AddressDestinationContext ctx) {
        return new Destination(Optional.of(build(ctx.addresses(), Addresses.class)),
                optional(ctx.portSet(), p -> build(p, PortSet.class)), span(ctx));
    }

    @Override
    public Destination visitPortOnlyDestination(PortOnlyDestinationContext ctx) {
        return new Destination(Optional.empty(), Optional.of(build(ctx.portSet(), PortSet.class)), span(ctx));
    }

    @Override
    public IcmpTypeRef visitIcmpType(IcmpTypeContext ctx) {
        var value = ctx.NAME() != null ? ctx.NAME() : ctx.INT();
        return new IcmpTypeRef(value.getText(), span(value.getSymbol()));
    }

    // ---- addresses and ports ----

    @Override
    public Addresses visitNegatedAddresses(NegatedAddressesContext ctx) {
        return new NegatedAddresses(build(ctx.addresses(), Addresses.class), span(ctx));
    }

    @Override
    public Addresses visitPlainAddresses(PlainAddressesContext ctx) {
        return build(ctx.addressSet(), AddressSet.class);
    }

    @Override
    public AddressSet visitAddressList(AddressListContext ctx) {
        var members = new ArrayList<AddressMember>();
        for (var m : ctx.addressMember()) this.<AddressMember>built(m).ifPresent(members::add);
        return new AddressList(members, span(ctx));
    }

    @Override
    public AddressSet visitSingleAddress(SingleAddressContext ctx) {
        Optional<AddressMember> member = built(ctx.addressMember());
        // An invalid literal was reported; keep a harmless placeholder so the tree stays whole.
        return new SingleAddress(member.orElse(new AnyAddress(span(ctx))), span(ctx));
    }

    @Override
    public Optional<AddressMember> visitAddressLiteral(AddressLiteralContext ctx) {
        String text = ctx.getText();
        return cidr(text, span(ctx)).map(c -> new AddressLiteral(c, text, span(ctx)));
    }

    @Override
    public Optional<AddressMember> visitAnyAddress(AnyAddressContext ctx) {
        return Optional.of(new AnyAddress(span(ctx)));
    }

    @Override
    public Optional<AddressMember> visitAddressReference(AddressReferenceContext ctx) {
        return Optional.of(new AddressReference(ctx.VARIABLE().getText().substring(1), span(ctx)));
    }

    @Override
    public PortSet visitPortList(PortListContext ctx) {
        var members = new ArrayList<PortMember>();
        for (var m : ctx.portMember()) this.<PortMember>built(m).ifPresent(members::add);
        return new PortList(members, span(ctx));
    }

    @Override
    public PortSet visitSinglePort(SinglePortContext ctx) {
        Optional<PortMember> member = built(ctx.portMember());
        return member.<PortSet>map(m -> new SinglePort(m, span(ctx))).orElseGet(() -> new PortList(List.of(), span(ctx)));
    }

    @Override
    public Optional<PortMember> visitPortLiteral(PortLiteralContext ctx) {
        String text = ctx.getText();
        var span = span(ctx);
        int dash = text.indexOf('-');
        if (dash < 0) {
            return port(text, span).map(p -> new PortLiteral(PortRange.of(p), text, span));
        }
        var from = port(text.substring(0, dash), span);
        if (from.isEmpty()) return Optional.empty();
        var to = port(text.substring(dash + 1), span);
        if (to.isEmpty()) return Optional.empty();
        if (from.get() > to.get()) {
            diagnostics.error("reversed-range", span, "port range '" + text + "' is reversed: write '"
                    + to.get() + "-" + from.get() + "'");
            return Optional.empty();
        }
        return Optional.of(new PortLiteral(new PortRange(from.get(), to.get()), text, span));
    }

    @Override
    public Optional<PortMember> visitPortReference(PortReferenceContext ctx) {
        return Optional.of(new PortReference(ctx.VARIABLE().getText().substring(1), span(ctx)));
    }

    // ---- expectations ----

    @Override
    public Expectation visitExpectation(ExpectationContext ctx) {
        return new Expectation(build(ctx.verdict(), Verdict.class), visitFlow(ctx.flow()), note(ctx.note), span(ctx));
    }

    @Override
    public FlowDescription visitFlow(FlowContext ctx) {
        Optional<FlowEndpoint> source = optional(ctx.flowSource(), this::visitFlowSource);
        Optional<FlowEndpoint> destination = optional(ctx.flowDestination(), d -> build(d, FlowEndpoint.class));
        Optional<ConnState> state = optional(ctx.state(), s -> build(s, ConnState.class));
        boolean viaLo = ctx.flowInterface() != null && visitFlowInterface(ctx.flowInterface());
        return new FlowDescription(build(ctx.direction(), Direction.class),
                optional(ctx.protocol(), p -> build(p, ProtocolRef.class)), source, destination,
                optional(ctx.icmpType(), this::visitIcmpType), state, viaLo, span(ctx));
    }

    /** True for {@code via lo}; any other interface is an error here (only loopback is modelled). */
    @Override
    public Boolean visitFlowInterface(FlowInterfaceContext ctx) {
        if (ctx.iface.getText().equals("lo")) return true;
        diagnostics.error("syntax", span(ctx.iface), "only 'via lo' is modelled, found '" + ctx.iface.getText() + "'");
        return false;
    }

    @Override
    public FlowDescription visitFlowQuery(FlowQueryContext ctx) {
        return visitFlow(ctx.flow());
    }

    @Override
    public FlowEndpoint visitFlowSource(FlowSourceContext ctx) {
        return endpoint(Optional.of(ctx.flowAddress()), ctx.INT(), span(ctx));
    }

    @Override
    public FlowEndpoint visitAddressFlowDestination(AddressFlowDestinationContext ctx) {
        return endpoint(Optional.of(ctx.flowAddress()), ctx.INT(), span(ctx));
    }

    @Override
    public FlowEndpoint visitPortOnlyFlowDestination(PortOnlyFlowDestinationContext ctx) {
        return endpoint(Optional.empty(), ctx.INT(), span(ctx));
    }

    /** One host address: a packet has one source and one destination. */
    @Override
    public Optional<Address> visitFlowAddress(FlowAddressContext ctx) {
        var span = span(ctx);
        return cidr(ctx.getText(), span).flatMap(c -> {
            if (c.isHost()) return Optional.of(c.address());
            diagnostics.error("invalid-address", span, "an expectation needs one address, not the network '" + ctx.getText() + "'");
            return Optional.empty();
        });
    }

    @Override
    public ConnState visitEstablishedState(EstablishedStateContext ctx) {
        return ConnState.ESTABLISHED;
    }

    @Override
    public ConnState visitNewState(NewStateContext ctx) {
        return ConnState.NEW;
    }

    // ---- literals ----

    /** Parses an address or CIDR token, explaining exactly what is wrong with a bad one. */
    private Optional<Cidr> cidr(String text, Span span) {
        int slash = text.indexOf('/');
        String addrText = slash < 0 ? text : text.substring(0, slash);
        var addr = Address.parse(addrText);
        if (addr.isEmpty()) {
            diagnostics.error("invalid-address", span, "'" + addrText + "' is not a valid "
                    + (addrText.contains(":") ? "IPv6" : "IPv4") + " address");
            return Optional.empty();
        }
        var a = addr.get();
        if (slash < 0) return Optional.of(Cidr.host(a));
        String prefixText = text.substring(slash + 1);
        int max = a.family().bits();
        Optional<Integer> prefix = parseInt(prefixText, 0, max, span, "invalid-address",
                "prefix length /" + prefixText + " is out of range for "
                        + (max == 32 ? "IPv4 (0-32)" : "IPv6 (0-128)"));
        if (prefix.isEmpty()) return Optional.empty();
        if (!Cidr.isNetworkAddress(a, prefix.get())) {
            var network = Cidr.networkOf(a, prefix.get());
            diagnostics.error("host-bits-set", span, "'" + text + "' has host bits set: write '"
                    + network.withPrefix() + "' for the network, or '" + a.text() + "/" + max + "' for the host");
            return Optional.empty();
        }
        return Optional.of(Cidr.networkOf(a, prefix.get()));
    }

    private Optional<Integer> port(String text, Span span) {
        return parseInt(text, 0, PortRange.MAX, span, "invalid-port",
                "port " + text + " is out of range (0-65535)");
    }

    private FlowEndpoint endpoint(Optional<FlowAddressContext> addrCtx, TerminalNode portNode, Span span) {
        Optional<Address> address = addrCtx.flatMap(this::visitFlowAddress);
        Optional<String> text = addrCtx.map(FlowAddressContext::getText);
        Optional<Integer> port = portNode == null ? Optional.empty() : port(portNode.getText(), span(portNode.getSymbol()));
        return new FlowEndpoint(address, text, port, span);
    }

    private Optional<Note> note(Token token) {
        if (token == null) return Optional.empty();
        return Optional.of(new Note(unescape(token.getText()), span(token)));
    }

    /** Removes the quotes and resolves backslash escapes: \" \\ \n \t; any other \x stands for x. */
    static String unescape(String quoted) {
        var sb = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                char n = quoted.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private Optional<Integer> parseInt(String text, int min, int max, Span span, String code, String message) {
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) return Optional.of((int) v);
        } catch (NumberFormatException ignored) {
            // too many digits for a long: out of range as well
        }
        diagnostics.error(code, span, message);
        return Optional.empty();
    }

    private Name name(Token token) {
        return new Name(token.getText(), span(token));
    }

    private Span span(Token t) {
        int col = t.getCharPositionInLine() + 1;
        return new Span(file, t.getLine(), col, t.getLine(), col + Math.max(1, t.getStopIndex() - t.getStartIndex() + 1));
    }

    private Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop() != null ? ctx.getStop() : start;
        var end = span(stop);
        return new Span(file, start.getLine(), start.getCharPositionInLine() + 1, end.endLine(), end.endColumn());
    }

}
