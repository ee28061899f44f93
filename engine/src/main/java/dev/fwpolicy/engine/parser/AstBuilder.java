package dev.fwpolicy.engine.parser;

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
import java.util.Locale;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the immutable AST from a parse tree that has no syntax errors. Literal values
 * (addresses, CIDRs, ports, priorities) are checked here, where their token position is
 * known, and reported as positioned diagnostics.
 */
final class AstBuilder {
    private final String file;
    private final Diagnostics diagnostics;
    private final ClusterLiterals clusterLiterals;

    AstBuilder(String file, Diagnostics diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
        this.clusterLiterals = new ClusterLiterals(file, diagnostics);
    }

    List<Declaration> build(PolicyFileContext ctx) {
        var out = new ArrayList<Declaration>();
        for (var d : ctx.declaration()) {
            if (d instanceof PolicyDeclContext p) out.add(policy(p));
            else if (d instanceof TestDeclContext t) out.add(test(t));
        }
        return out;
    }

    private PolicyDecl policy(PolicyDeclContext ctx) {
        Optional<PolicyDecl.Priority> priority = Optional.empty();
        if (ctx.priority != null) {
            var span = span(ctx.priority);
            priority = parseInt(ctx.priority.getText(), 0, 1_000_000, span, "invalid-priority",
                    "priority must be a whole number from 0 to 1000000")
                    .map(v -> new PolicyDecl.Priority(v, span));
        }
        var items = new ArrayList<PolicyItem>();
        for (var item : ctx.policyItem()) items.add(item(item));
        return new PolicyDecl(name(ctx.name), priority, items, span(ctx));
    }

    private PolicyItem item(PolicyItemContext ctx) {
        if (ctx instanceof DefaultDeclContext d) {
            return new DefaultDecl(direction(d.direction()), verdict(d.verdict()), span(d));
        }
        if (ctx instanceof AddressSetDeclContext s) {
            return new AddressSetDecl(name(s.name), addressSet(s.addressSet()), span(s));
        }
        if (ctx instanceof DynamicSetDeclContext d) {
            return new DynamicSetDecl(name(d.name), clusterSource(d.memberSource()), span(d));
        }
        if (ctx instanceof PortSetDeclContext p) {
            return new PortSetDecl(name(p.name), portSet(p.portSet()), span(p));
        }
        var b = (DirectionBlockContext) ctx;
        var rules = new ArrayList<RuleDecl>();
        for (var r : b.ruleDecl()) rules.add(rule(r));
        return new DirectionBlock(direction(b.direction()), rules, span(b));
    }

    private ClusterSource clusterSource(MemberSourceContext ctx) {
        if (ctx instanceof ServiceSourceContext s) return clusterLiterals.service(s.service, span(s));
        var p = (PodsSourceContext) ctx;
        Optional<NamespaceRef> namespaces = Optional.empty();
        if (p.podNamespaces() instanceof SelectedNamespacesContext sel) {
            namespaces = Optional.of(new NamespaceSelector(clusterLiterals.selector(sel.selector), span(sel)));
        } else if (p.podNamespaces() instanceof NamedNamespaceContext named) {
            namespaces = Optional.of(clusterLiterals.namespace(named.namespace));
        }
        return new PodsSource(Optional.ofNullable(p.selector).map(clusterLiterals::selector), namespaces, span(p));
    }

    private RuleDecl rule(RuleDeclContext ctx) {
        if (ctx instanceof EstablishedRuleContext e) {
            return new EstablishedRule(action(e.action()), note(e.note), span(e));
        }
        var m = (MatchRuleContext) ctx;
        return new MatchRule(
                action(m.action()),
                Optional.ofNullable(m.protocol()).map(this::protocol),
                Optional.ofNullable(m.source()).map(this::source),
                Optional.ofNullable(m.destination()).map(this::destination),
                Optional.ofNullable(m.icmpType()).map(this::icmpType),
                note(m.note),
                span(m));
    }

    private Source source(SourceContext ctx) {
        return new Source(addresses(ctx.addresses()), Optional.ofNullable(ctx.portSet()).map(this::portSet), span(ctx));
    }

    private Destination destination(DestinationContext ctx) {
        return new Destination(
                Optional.ofNullable(ctx.addresses()).map(this::addresses),
                Optional.ofNullable(ctx.portSet()).map(this::portSet),
                span(ctx));
    }

    private Addresses addresses(AddressesContext ctx) {
        if (ctx instanceof NegatedAddressesContext n) return new NegatedAddresses(addresses(n.addresses()), span(n));
        return addressSet(((PlainAddressesContext) ctx).addressSet());
    }

    private AddressSet addressSet(AddressSetContext ctx) {
        if (ctx instanceof AddressListContext l) {
            var members = new ArrayList<AddressMember>();
            for (var m : l.addressMember()) addressMember(m).ifPresent(members::add);
            return new AddressList(members, span(l));
        }
        var s = (SingleAddressContext) ctx;
        var member = addressMember(s.addressMember());
        // An invalid literal was reported; keep a harmless placeholder so the tree stays whole.
        return new SingleAddress(member.orElse(new AnyAddress(span(s))), span(s));
    }

    private Optional<AddressMember> addressMember(AddressMemberContext ctx) {
        if (ctx instanceof AnyAddressContext a) return Optional.of(new AnyAddress(span(a)));
        if (ctx instanceof AddressReferenceContext r) {
            return Optional.of(new AddressReference(r.VARIABLE().getText().substring(1), span(r)));
        }
        var lit = (AddressLiteralContext) ctx;
        String text = lit.getText();
        return cidr(text, span(lit)).map(c -> new AddressLiteral(c, text, span(lit)));
    }

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
                    + network.iptables() + "' for the network, or '" + a.text() + "/" + max + "' for the host");
            return Optional.empty();
        }
        return Optional.of(Cidr.networkOf(a, prefix.get()));
    }

    private PortSet portSet(PortSetContext ctx) {
        if (ctx instanceof PortListContext l) {
            var members = new ArrayList<PortMember>();
            for (var m : l.portMember()) portMember(m).ifPresent(members::add);
            return new PortList(members, span(l));
        }
        var s = (SinglePortContext) ctx;
        var member = portMember(s.portMember());
        return member.<PortSet>map(m -> new SinglePort(m, span(s))).orElseGet(() -> new PortList(List.of(), span(s)));
    }

    private Optional<PortMember> portMember(PortMemberContext ctx) {
        if (ctx instanceof PortReferenceContext r) {
            return Optional.of(new PortReference(r.VARIABLE().getText().substring(1), span(r)));
        }
        var lit = (PortLiteralContext) ctx;
        String text = lit.getText();
        var span = span(lit);
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

    private Optional<Integer> port(String text, Span span) {
        return parseInt(text, 0, PortRange.MAX, span, "invalid-port",
                "port " + text + " is out of range (0-65535)");
    }

    private IcmpTypeRef icmpType(IcmpTypeContext ctx) {
        var value = ctx.NAME() != null ? ctx.NAME() : ctx.INT();
        return new IcmpTypeRef(value.getText(), span(value.getSymbol()));
    }

    private TestDecl test(TestDeclContext ctx) {
        var expectations = new ArrayList<Expectation>();
        for (var e : ctx.expectation()) expectations.add(expectation(e));
        return new TestDecl(name(ctx.name), expectations, span(ctx));
    }

    private Expectation expectation(ExpectationContext ctx) {
        Optional<FlowEndpoint> source = Optional.ofNullable(ctx.flowSource())
                .map(s -> endpoint(s.flowAddress(), s.INT(), span(s)));
        Optional<FlowEndpoint> destination = Optional.ofNullable(ctx.flowDestination())
                .map(d -> endpoint(d.flowAddress(), d.INT(), span(d)));
        Optional<Expectation.ConnState> state = Optional.ofNullable(ctx.state())
                .map(s -> s.ESTABLISHED() != null ? Expectation.ConnState.ESTABLISHED : Expectation.ConnState.NEW);
        return new Expectation(verdict(ctx.verdict()), direction(ctx.direction()),
                Optional.ofNullable(ctx.protocol()).map(this::protocol), source, destination,
                Optional.ofNullable(ctx.icmpType()).map(this::icmpType), state, note(ctx.note), span(ctx));
    }

    private FlowEndpoint endpoint(FlowAddressContext addrCtx, TerminalNode portNode, Span span) {
        Optional<Address> address = Optional.empty();
        Optional<String> text = Optional.empty();
        if (addrCtx != null) {
            var addrSpan = span(addrCtx);
            text = Optional.of(addrCtx.getText());
            address = cidr(addrCtx.getText(), addrSpan).flatMap(c -> {
                if (c.isHost()) return Optional.of(c.address());
                diagnostics.error("invalid-address", addrSpan,
                        "an expectation needs one address, not the network '" + addrCtx.getText() + "'");
                return Optional.empty();
            });
        }
        Optional<Integer> port = portNode == null ? Optional.empty() : port(portNode.getText(), span(portNode.getSymbol()));
        return new FlowEndpoint(address, text, port, span);
    }

    private ProtocolRef protocol(ProtocolContext ctx) {
        return new ProtocolRef(Protocol.ofKeyword(ctx.getText()).orElseThrow(), span(ctx));
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

    private static Direction direction(DirectionContext ctx) {
        return Direction.valueOf(ctx.getText().toUpperCase(Locale.ROOT));
    }

    private static Verdict verdict(VerdictContext ctx) {
        return Verdict.valueOf(ctx.getText().toUpperCase(Locale.ROOT));
    }

    private static Action action(ActionContext ctx) {
        return Action.valueOf(ctx.getText().toUpperCase(Locale.ROOT));
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
