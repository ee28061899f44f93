package dev.fwpolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two policies never share a chain (issue 12: a long name and its literal shortening once did). */
class ChainNameTest {

    @Test
    void aPolicyNamedLikeAnotherOnesShorteningGetsItsOwnChain() {
        String longName = "a".repeat(200);
        String cut = ChainNames.policy(dev.fwpolicy.engine.vocabulary.Direction.INBOUND, longName);
        assertThat(cut).hasSize(ChainNames.MAX);
        String literal = cut.substring("FWP-I-".length());
        String text = "policy " + longName + " { inbound { allow tcp to port 80 } }\n"
                + "policy " + literal + " { inbound { allow tcp to port 443 } }\n";
        var result = new Compiler().compile(List.of(new SourceFile("x.fwpolicy", text)));
        assertThat(result.diagnostics()).isEmpty();
        var chains = result.ruleSet().orElseThrow().chains().stream()
                .filter(c -> c.name().startsWith("FWP-I-")).map(OwnedChain::name).distinct().toList();
        assertThat(chains).hasSize(2).doesNotHaveDuplicates();
        assertThat(chains).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(ChainNames.MAX));
    }

    @Test
    void namesUpToTwentyOneCharactersAreKeptWholeAndLongerOnesAreCutToExactlyTheMaximum() {
        var in = dev.fwpolicy.engine.vocabulary.Direction.INBOUND;
        assertThat(ChainNames.policy(in, "b".repeat(21))).isEqualTo("FWP-I-" + "b".repeat(21));
        assertThat(ChainNames.policy(in, "b".repeat(22))).hasSize(ChainNames.MAX).startsWith("FWP-I-" + "b".repeat(13) + "-");
    }
}
