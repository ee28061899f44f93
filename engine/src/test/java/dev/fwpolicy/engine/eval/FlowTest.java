package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.vocabulary.ConnState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FlowTest {

    @Test
    void parsesTheIssueExample() {
        var f = Flow.parse("inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443");
        assertThat(f.direction()).isEqualTo(Direction.INBOUND);
        assertThat(f.family()).isEqualTo(Family.V4);
        assertThat(f.protocol()).contains(Protocol.TCP);
        assertThat(f.source().orElseThrow().text()).isEqualTo("192.168.10.7");
        assertThat(f.sourcePort()).hasValue(40000);
        assertThat(f.destinationPort()).hasValue(443);
        assertThat(f.state()).isEqualTo(ConnState.NEW);
        assertThat(f.loopback()).isFalse();
    }

    @Test
    void parsesIpv6IcmpAndState() {
        var f = Flow.parse("outbound udp [2001:db8::1]:5353 -> [2001:db8::2]:53 established");
        assertThat(f.family()).isEqualTo(Family.V6);
        assertThat(f.state()).isEqualTo(ConnState.ESTABLISHED);
        var icmp = Flow.parse("inbound icmpv6 2001:db8::1 -> 2001:db8::2 type echo-request");
        assertThat(icmp.protocol()).contains(Protocol.ICMPV6);
        assertThat(icmp.icmpType()).hasValue(128);
        assertThat(Flow.parse("inbound icmp 1.2.3.4 -> 10.0.0.2 type 8").icmpType()).hasValue(8);
    }

    /** One meaning, as in rules and expect lines: ICMPv6 is written icmpv6, and icmp with IPv6 is an error. */
    @Test
    void icmpWithIpv6AddressesIsAFamilyMismatchNotSilentlyIcmpv6() {
        assertThatThrownBy(() -> Flow.parse("inbound icmp 2001:db8::1 -> 2001:db8::2 type echo-request"))
                .isInstanceOf(FlowSyntaxException.class).hasMessageContaining("'icmp' does not exist in IPv6")
                .satisfies(e -> {
                    assertThat(((FlowSyntaxException) e).code()).isEqualTo("family-mismatch");
                    assertThat(((FlowSyntaxException) e).column()).isEqualTo(9);
                });
        assertThatThrownBy(() -> Flow.parse("inbound icmp from 2001:db8::1 to 2001:db8::2 type echo-request"))
                .extracting(e -> ((FlowSyntaxException) e).code()).isEqualTo("family-mismatch");
    }

    @Test
    void theExpectLineWordsGiveTheSameFlowAsTheArrowForm() {
        assertThat(Flow.parse("inbound tcp from 192.168.10.7 port 40000 to 10.0.0.2 port 443"))
                .isEqualTo(Flow.parse("inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443"));
        assertThat(Flow.parse("outbound udp from 2001:db8::1 port 5353 to 2001:db8::2 port 53 established"))
                .isEqualTo(Flow.parse("outbound udp [2001:db8::1]:5353 -> [2001:db8::2]:53 established"));
        assertThat(Flow.parse("inbound icmp from 1.2.3.4 to 10.0.0.2 type echo-request"))
                .isEqualTo(Flow.parse("inbound icmp 1.2.3.4 -> 10.0.0.2 type echo-request"));
    }

    /** Fields an expect line may leave out may be left out here too: unknown, never guessed. */
    @Test
    void fieldsMayBeLeftOutAsInExpectLines() {
        var f = Flow.parse("inbound tcp to 10.0.0.2 port 443");
        assertThat(f.source()).isEmpty();
        assertThat(f.sourcePort()).isEmpty();
        assertThat(f.destinationPort()).hasValue(443);
        assertThat(Flow.parse("inbound tcp 1.2.3.4 -> 1.2.3.5:2").sourcePort()).isEmpty();
        assertThat(Flow.parse("inbound icmp 1.2.3.4 -> 1.2.3.5").icmpType()).isEmpty();
        var both = Flow.read("flow", "inbound tcp to port 443", new dev.fwpolicy.engine.diag.Diagnostics());
        assertThat(both).extracting(Flow::family).containsExactly(Family.V4, Family.V6);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443",
            "outbound udp [2001:db8::1]:5353 -> [2001:db8::2]:53 established",
            "inbound icmp 1.2.3.4 -> 10.0.0.2 type echo-request",
            "inbound icmpv6 2001:db8::1 -> 2001:db8::2 type neighbor-solicitation",
            "inbound sctp 10.0.0.1:1 -> 10.0.0.2:2 via lo"})
    void textRoundTrips(String text) {
        assertThat(Flow.parse(text).text()).isEqualTo(text);
    }

    @Test
    void viaLoIsReadInEverySpelling() {
        assertThat(Flow.parse("inbound tcp from 192.0.2.1 to 192.0.2.2 port 22 via lo").loopback()).isTrue();
        assertThat(Flow.parse("inbound tcp from 192.0.2.1 to 192.0.2.2 port 22").loopback()).isFalse();
        assertThat(Flow.parse("inbound tcp 192.0.2.1:1 -> 192.0.2.2:22 via lo").loopback()).isTrue();
        assertThat(Flow.read("flow", "outbound udp to port 53 via lo", new dev.fwpolicy.engine.diag.Diagnostics()))
                .hasSize(2).allMatch(Flow::loopback);
        assertThatThrownBy(() -> Flow.parse("inbound tcp from 192.0.2.1 via eth0"))
                .hasMessageContaining("only 'via lo'")
                .extracting(e -> ((FlowSyntaxException) e).code(), e -> ((FlowSyntaxException) e).column())
                .containsExactly("syntax", 32);
    }

    @Test
    void errorsSayWhereAndWhat() {
        assertThatThrownBy(() -> Flow.parse("sideways tcp 1.2.3.4:1 -> 1.2.3.5:2")).hasMessageContaining("inbound or outbound");
        assertThatThrownBy(() -> Flow.parse("inbound tcp example.com:1 -> 1.2.3.5:2"))
                .isInstanceOf(FlowSyntaxException.class).hasMessageContaining("never resolved")
                .extracting(e -> ((FlowSyntaxException) e).column()).isEqualTo(13);
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 -> [2001:db8::1]:2")).hasMessageContaining("one address family");
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:70000 -> 1.2.3.5:2")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Flow.parse("inbound icmp 1.2.3.4 -> 1.2.3.5 type bogus"))
                .hasMessageContaining("'bogus' is not an icmp type")
                .extracting(e -> ((FlowSyntaxException) e).column()).isEqualTo(38);
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 -> 1.2.3.5:2 type echo-request"))
                .extracting(e -> ((FlowSyntaxException) e).code()).isEqualTo("icmp-type-without-icmp");
        // Without an arrow the text is read as expect-line words, whose grammar says what it expected.
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 1.2.3.5:2")).hasMessageContaining("unexpected '1.2.3.4'")
                .hasMessageContaining("'from'").extracting(e -> ((FlowSyntaxException) e).column()).isEqualTo(13);
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 -> 1.2.3.5:2 ->")).hasMessageContaining("unexpected '->'");
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 -> 1.2.3.5:2 via eth0")).hasMessageContaining("only 'via lo'");
        assertThatThrownBy(() -> Flow.parse("inbound tcp from 10.0.0.1 port 70000"))
                .extracting(e -> ((FlowSyntaxException) e).code(), e -> ((FlowSyntaxException) e).column())
                .containsExactly("invalid-port", 32);
        assertThatThrownBy(() -> Flow.parse("inbound tcp frm 10.0.0.1"))
                .extracting(e -> ((FlowSyntaxException) e).code(), e -> ((FlowSyntaxException) e).column())
                .containsExactly("syntax", 13);
        assertThatThrownBy(() -> Flow.parse("inbound tcp to port 443")).hasMessageContaining("IPv4 or IPv6");
    }
}
