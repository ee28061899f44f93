package dev.fwpolicy.engine.ir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The hand-written id scanner (hot: every line of every read-back) answers exactly as the regex. */
class RuleIdentityIdInTest {

    @Test
    void typicalSpecs() {
        String id = "u7ML87rDoX5ArQCS";
        assertThat(RuleIdentity.idIn("-s 10.0.0.1/32 -p tcp -m comment --comment \"fwp1:" + id + " client 1\" -j ACCEPT")).contains(id);
        assertThat(RuleIdentity.idIn("-m comment --comment fwp1:" + id + " -j DROP")).contains(id);
        assertThat(RuleIdentity.idIn("-m comment --comment \"other\" -m comment --comment \"fwp1:" + id + "\"")).contains(id);
        assertThat(RuleIdentity.idIn("-m comment --comment \"fwp1:short\" -j ACCEPT")).isEmpty();
        assertThat(RuleIdentity.idIn("-m comment --comment \"fwp2:" + id + "\"")).isEmpty();
        assertThat(RuleIdentity.idIn("-j ACCEPT")).isEmpty();
        assertThat(RuleIdentity.idIn("--comment \"fwp1:" + id.substring(0, 15))).isEmpty();
    }

    @Property(tries = 2000)
    void agreesWithTheRegex(@ForAll("specs") String spec) {
        assertThat(RuleIdentity.idIn(spec)).isEqualTo(RuleIdentity.idInByRegex(spec));
    }

    @Provide
    Arbitrary<String> specs() {
        var pieces = Arbitraries.of(List.of("--comment ", "--comment \"", "\"", "fwp1:", "fwp1", ":", " ", "-j ACCEPT ",
                "u7ML87rDoX5ArQCS", "AAAAAAAAAAAAAAA", "_-", "é", "x", "0123456789", "--comment", "\"fwp1:", "!", "\t"));
        return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
    }
}
