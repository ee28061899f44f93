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
    @ValueSource(strings = {"10.0.0.256", "10.0.0", "1.2.3.4.5", "2001:db8:::1", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "01234.1.1.1"})
    void rejectsMalformed(String in) {
        assertThat(Address.parse(in)).isEmpty();
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
