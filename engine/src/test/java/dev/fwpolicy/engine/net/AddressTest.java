package dev.fwpolicy.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {
    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, 10.0.0.1",
        "2001:DB8::1, 2001:db8::1",
        "2001:db8:0:0:0:0:0:1, 2001:db8::1",
        "::, ::",
        "::1, ::1",
        "::ffff:10.0.0.1, ::ffff:a00:1",
        "2001:db8:0:1:0:0:1:0, 2001:db8:0:1::1:0",
        "fe80::, fe80::"})
    void parsesAndPrintsCanonically(String in, String out) {
        assertThat(Address.parse(in)).hasValueSatisfying(a -> assertThat(a.text()).isEqualTo(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.256", "10.0.0", "1.2.3.4.5", "2001:db8:::1", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "01234.1.1.1",
        "", ":", ":::", "1:", ":1::", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1.2.3.4::", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4",
        "\uff11.2.3.4", "1.2.3.\u0664", "\uff11::", "10.0.0.1 ", "::ffff:1.2.3", "1:2:3:4:5:6:7"})
    void rejectsMalformed(String in) {
        assertThat(Address.parse(in)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/+8", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/0008", "10.0.0.0/\u0668", "10.0.0.0/33", "2001:db8::/129", "10.0.0.1/8"})
    void rejectsMalformedPrefixes(String in) {
        assertThat(Cidr.parseStrict(in)).isEmpty();
    }

    /** Every spelling of random IPv6 and IPv4 addresses parses to what the JDK's literal parser says (no DNS for literals). */
    @Test
    void agreesWithTheJdkOnRandomAddressesInEverySpelling() throws Exception {
        var random = new java.util.Random(13);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            // Runs of zero groups, so "::" appears in many places.
            int zeroFrom = random.nextInt(8), zeroLen = random.nextInt(9 - zeroFrom);
            for (int k = zeroFrom * 2; k < (zeroFrom + zeroLen) * 2; k++) bytes[k] = 0;
            var expected = java.net.InetAddress.getByAddress(bytes);
            var full = new StringBuilder();
            for (int k = 0; k < 8; k++) {
                if (k > 0) full.append(':');
                int group = (bytes[2 * k] & 255) << 8 | bytes[2 * k + 1] & 255;
                full.append(random.nextBoolean() ? Integer.toHexString(group) : Integer.toHexString(group).toUpperCase(java.util.Locale.ROOT));
            }
            var parsed = Address.parse(full.toString()).orElseThrow(() -> new AssertionError(full));
            assertThat(parsed.text()).isEqualTo(Address.parse(expected.getHostAddress().replaceAll("%.*", "")).orElseThrow().text());
            assertThat(Address.parse(parsed.text())).as(full.toString()).hasValue(parsed);
            var dotted = full.substring(0, full.lastIndexOf(":", full.lastIndexOf(":") - 1) + 1)
                    + (bytes[12] & 255) + "." + (bytes[13] & 255) + "." + (bytes[14] & 255) + "." + (bytes[15] & 255);
            assertThat(Address.parse(dotted)).as(dotted).hasValue(parsed);
            assertThat(toBytes(parsed)).as(full.toString()).isEqualTo(bytes);
            byte[] v4 = {bytes[0], bytes[1], bytes[2], bytes[3]};
            var quad = java.net.InetAddress.getByAddress(v4).getHostAddress();
            assertThat(Address.parse(quad).map(Address::text)).hasValue(quad);
        }
    }

    private static byte[] toBytes(Address a) {
        var b = java.nio.ByteBuffer.allocate(16);
        b.putLong(a.hi()).putLong(a.lo());
        return b.array();
    }

    @Test
    void normalizeMergesSiblingsAndDropsContained() {
        var in = List.of(cidr("10.1.0.128/25"), cidr("10.1.0.0/25"), cidr("10.1.0.7"), cidr("10.2.0.0/16"), cidr("10.2.3.0/24"),
                cidr("2001:db8::/33"), cidr("2001:db8:8000::/33"));
        assertThat(Cidr.normalize(in)).extracting(Cidr::withPrefix)
                .containsExactly("10.1.0.0/24", "10.2.0.0/16", "2001:db8::/32");
    }

    @Test
    void containment() {
        assertThat(cidr("10.0.0.0/8").contains(cidr("10.1.2.0/24"))).isTrue();
        assertThat(cidr("10.1.2.0/24").contains(cidr("10.0.0.0/8"))).isFalse();
        assertThat(cidr("2001:db8::/32").contains(Address.parse("2001:db8:ffff::1").orElseThrow())).isTrue();
        assertThat(cidr("2001:db8::/32").contains(Address.parse("2001:db9::1").orElseThrow())).isFalse();
        assertThat(cidr("0.0.0.0/0").contains(Address.parse("255.255.255.255").orElseThrow())).isTrue();
        assertThat(cidr("2001:db8::1/128").contains(Address.parse("2001:db8::1").orElseThrow())).isTrue();
        assertThat(cidr("2001:db8::/127").contains(Address.parse("2001:db8::2").orElseThrow())).isFalse();
    }

    @Test
    void portsMergeIntoSortedRanges() {
        var merged = PortRange.normalize(List.of(new PortRange(443, 443), PortRange.of(80), new PortRange(81, 90), new PortRange(85, 100)));
        assertThat(merged).extracting(PortRange::source).containsExactly("80-100", "443");
    }

    private static Cidr cidr(String s) {
        return Cidr.parseStrict(s).orElseThrow(() -> new AssertionError("bad test cidr " + s));
    }
}
