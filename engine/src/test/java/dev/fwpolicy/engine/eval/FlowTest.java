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
        var icmp = Flow.parse("inbound icmp 2001:db8::1 -> 2001:db8::2 type echo-request");
        assertThat(icmp.protocol()).contains(Protocol.ICMPV6);
        assertThat(icmp.icmpType()).hasValue(128);
        assertThat(Flow.parse("inbound icmp 1.2.3.4 -> 10.0.0.2 type 8").icmpType()).hasValue(8);
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
    void errorsSayWhereAndWhat() {
        assertThatThrownBy(() -> Flow.parse("sideways tcp 1.2.3.4:1 -> 1.2.3.5:2")).hasMessageContaining("inbound or outbound");
        assertThatThrownBy(() -> Flow.parse("inbound tcp example.com:1 -> 1.2.3.5:2"))
                .isInstanceOf(FlowSyntaxException.class).hasMessageContaining("never resolved")
                .extracting(e -> ((FlowSyntaxException) e).column()).isEqualTo(13);
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4 -> 1.2.3.5:2")).hasMessageContaining("need a source and a destination port");
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 -> [2001:db8::1]:2")).hasMessageContaining("different address families");
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:70000 -> 1.2.3.5:2")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Flow.parse("inbound icmp 1.2.3.4 -> 1.2.3.5 type bogus")).hasMessageContaining("unknown icmp type 'bogus'");
        assertThatThrownBy(() -> Flow.parse("inbound icmp 1.2.3.4 -> 1.2.3.5")).hasMessageContaining("need 'type T'");
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 1.2.3.5:2")).hasMessageContaining("'->'");
        assertThatThrownBy(() -> Flow.parse("inbound tcp 1.2.3.4:1 -> 1.2.3.5:2 via eth0")).hasMessageContaining("only 'via lo'");
    }
}
