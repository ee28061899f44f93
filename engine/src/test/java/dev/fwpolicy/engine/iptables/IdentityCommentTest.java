package dev.fwpolicy.engine.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** One identity rule: the first comment whose text starts with fwp1:&lt;hash&gt;; a mention further in is not one. */
class IdentityCommentTest {
    static final String ID = "u7ML87rDoX5ArQCS";
    static final String OTHER = "AAAAAAAAAAAAAAAA";

    @Test
    void typicalSpecs() {
        assertThat(IdentityComment.idIn("-s 10.0.0.1/32 -p tcp -m comment --comment \"fwp1:" + ID + " client 1\" -j ACCEPT")).contains(ID);
        assertThat(IdentityComment.idIn("-m comment --comment fwp1:" + ID + " -j DROP")).contains(ID);
        assertThat(IdentityComment.idIn("-m comment --comment \"other\" -m comment --comment \"fwp1:" + ID + "\"")).contains(ID);
        assertThat(IdentityComment.idIn("-m comment --comment \"fwp1:short\" -j ACCEPT")).isEmpty();
        assertThat(IdentityComment.idIn("-m comment --comment \"fwp1:" + ID + "x\" -j ACCEPT")).as("hash too long").isEmpty();
        assertThat(IdentityComment.idIn("-m comment --comment \"fwp2:" + ID + "\"")).isEmpty();
        assertThat(IdentityComment.idIn("-j ACCEPT")).isEmpty();
        assertThat(IdentityComment.idIn("--comment \"fwp1:" + ID.substring(0, 15))).isEmpty();
    }

    @Test
    void aForeignCommentThatMentionsAnIdentityIsNotOne() {
        assertThat(IdentityComment.idIn("-m comment --comment \"see fwp1:" + OTHER + "\" -j ACCEPT")).isEmpty();
        assertThat(IdentityComment.idIn("-m comment --comment \"x --comment fwp1:" + OTHER + "\" -j ACCEPT"))
                .as("the option inside another comment's text").isEmpty();
        assertThat(IdentityComment.idIn("-m comment --comment \"fwp1:" + ID + " a\" -m comment --comment \"fwp1:" + OTHER + "\" -j ACCEPT"))
                .as("the first of two").contains(ID);
    }

    @Property(tries = 2000)
    void agreesWithTheTokenisedReading(@ForAll("specs") String spec) {
        assertThat(IdentityComment.idIn(spec)).isEqualTo(byTokens(spec));
    }

    /** The slow, obvious reading: argv words, the first --comment argument starting with fwp1:&lt;hash&gt;. */
    private static Optional<String> byTokens(String spec) {
        var t = SpecTokens.split(spec);
        for (int i = 0; i + 1 < t.size(); i++) {
            if (!t.get(i).equals("--comment")) continue;
            String v = t.get(i + 1);
            String first = v.split(" ", -1)[0];
            if (first.startsWith(RuleIdentity.PREFIX) && first.length() == RuleIdentity.PREFIX.length() + RuleIdentity.HASH_CHARS
                    && first.substring(RuleIdentity.PREFIX.length()).chars().allMatch(c -> RuleIdentity.isHashChar((char) c))) {
                return Optional.of(first.substring(RuleIdentity.PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    @Provide
    Arbitrary<String> specs() {
        var pieces = Arbitraries.of(List.of(
                "-m comment --comment \"fwp1:" + ID + " web note\"",
                "-m comment --comment \"fwp1:" + OTHER + "\"",
                "-m comment --comment fwp1:" + ID,
                "-m comment --comment \"note fwp1:" + OTHER + "\"",
                "-m comment --comment \"x --comment fwp1:" + OTHER + "\"",
                "-m comment --comment \"x --comment \\\"fwp1:" + OTHER + "\\\"\"",
                "-m comment --comment \"fwp1:short\"",
                "-m comment --comment \"fwp1:" + ID + "zz\"",
                "-s 10.0.0.1/32", "-p tcp", "-m tcp --dport 22", "-j LOG --log-prefix \"a --comment fwp1:" + OTHER + "\""));
        return pieces.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(" ", l) + " -j ACCEPT");
    }
}
