package dev.fwpolicy.engine.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpecTokensTest {
    @Test
    void quotesGroupAndBackslashEscapes() {
        assertThat(SpecTokens.split("-s 10.0.0.1/32 -m comment --comment \"fwp1:abc web:3 office users\" -j LOG --log-prefix \"fwp x \""))
                .containsExactly("-s", "10.0.0.1/32", "-m", "comment", "--comment", "fwp1:abc web:3 office users",
                        "-j", "LOG", "--log-prefix", "fwp x ");
        assertThat(SpecTokens.split("--comment \"a \\\" b\"  -j  ACCEPT")).containsExactly("--comment", "a \" b", "-j", "ACCEPT");
        assertThat(SpecTokens.split("--comment \"\"")).containsExactly("--comment", "");
    }

    @Test
    void anOpenQuoteIsAnError() {
        assertThatThrownBy(() -> SpecTokens.split("--comment \"open")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unterminated quote");
    }
}
