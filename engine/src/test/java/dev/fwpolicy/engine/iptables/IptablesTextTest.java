package dev.fwpolicy.engine.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.net.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * iptables prints IPv6 addresses with glibc's inet_ntop; a rendering that differs (say
 * {@code ::ffff:a00:1} for {@code ::ffff:10.0.0.1}) would be "repaired" on every sync. The
 * expected texts below were printed by glibc's inet_ntop (Python's socket.inet_ntop on Linux)
 * for hand-picked edge cases and 60 random addresses rich in zero and ffff groups.
 */
class IptablesTextTest {
    static final List<String> INET_NTOP = List.of(
            "::",
            "::1",
            "::2",
            "::ffff:10.0.0.1",
            "::1.2.3.4",
            "::ffff:0.0.0.0",
            "::0.1.0.0",
            "1::",
            "1::1",
            "2001:db8::1",
            "2001:db8::1:0:0:1",
            "2001:0:0:1::1",
            "fe80::1:0:0:1",
            "0:0:1::",
            "1::1:0:0:1",
            "::ffff:0.1.0.2",
            "::1:2:3",
            "64:ff9b::c000:201",
            "ffff::",
            "1:2:3:4:5:6:7:8",
            "ffff:1:0:ffff:8e17::",
            "::ffff:0:ffff:596e:9b30:0",
            "0:1::1:0:a0f4",
            "ffff:0:1::1",
            "0:1:1:0:ffff:0:ffff:ffff",
            "7daf:0:0:ffff::ffff",
            "::ffff:ffff:fdd4:7b99",
            "1:1:0:ffff:ffff:ffff:1:ffff",
            "1:0:0:ffff::ffff",
            "ffff:1:0:84ab:ffff:a820:4ea8:0",
            "10d8:6422::1:0",
            "5344:0:1::1:ffff:0",
            "ffff:ffff::1:ffff:0",
            "::ffff:6322:ffff:1:1",
            "ffff:e21f:0:ffff:ffff:0:bbe9:0",
            "d4dc:1:0:a7c3:0:1::",
            "0:1:0:ffff:1:1:ffff:0",
            "1::ffff:1:0:1:0",
            "ff1:0:ffff:0:ffff:1:e73a:1",
            "::ffff:0:dda4:0:5ffb:1",
            "::1:0:0:0",
            "1::ffff:0:0:1",
            "::d865:9f26:1:0",
            "1:1:0:50ec:c5d7::1",
            "::1:0:0:8d9:0:5b3b",
            "0:a61f::ffff:1",
            "::77d:de32:1",
            "::1:ffff:0:ffff:ffff:baaa",
            "::1:0:1",
            "::84f2:1:4ab8:1e62:1:1ee3",
            "1::ffff:ffff:0",
            "0:1:ffff::ffff:0:f077",
            "0:1:b4f5:0:a216:0:ffff:1b4b",
            "1:ffff:29a0::ffff:7162:1",
            "::ffff:0:40d7:1:6293:7ba3",
            "ffff:1:fa97:0:1:1:0:ffff",
            "0:ffff:5b90:0:c4c4::",
            "ffff::a6b1:1:ffff:ffff:0",
            "ffff::ffff:0:1:0:0",
            "ffff:ffff:ffff:eae4:fc78:0:ffff:0",
            "ffff:ffff:9a96:1:1:bc34::",
            "0:1:1:0:ffff::ffff",
            "::ffff:0:d748:0:0",
            "0:4820::da54:1:ffff",
            "0:f6e7:ffff:ffff:0:1:1:0",
            "0:dbfa:159a::1",
            "ffff:1:ffff:2a78::ffff:61ac",
            "d8b4:ffff:0:7668:ffff:0:1ad8:0",
            "2837:c97e:1:747f:0:1:ffff:ffff",
            "ffff:ffff::",
            "1:4197:0:e681:ffff:0:ffff:ffff",
            "::af6a:0:ffff:1539:0:1",
            "1:9efd:0:ffff::95e0:b25e",
            "::ffff:0:0:1:0:0",
            "::609c:0:1:1:0:0",
            "::2463:ffff:1:1",
            "0:dc4b:ffff:0:ffff::",
            "0:ffff::ffff:0",
            "0:931c:0:1::ffff:ffff",
            "1:1:0:1:1:0:fed2:1");

    @Test
    void ipv6AddressesAreWrittenAsInetNtopWritesThem() {
        for (String printed : INET_NTOP) {
            var address = Address.parse(printed).orElseThrow(() -> new AssertionError("does not parse: " + printed));
            assertThat(IptablesText.address(address)).as(printed).isEqualTo(printed);
        }
    }

    @Test
    void ipv4AndPrefixes() {
        assertThat(IptablesText.cidr(dev.fwpolicy.engine.net.Cidr.parseStrict("10.0.0.1").orElseThrow())).isEqualTo("10.0.0.1/32");
        assertThat(IptablesText.cidr(dev.fwpolicy.engine.net.Cidr.parseStrict("::ffff:10.0.0.1").orElseThrow())).isEqualTo("::ffff:10.0.0.1/128");
    }
}
