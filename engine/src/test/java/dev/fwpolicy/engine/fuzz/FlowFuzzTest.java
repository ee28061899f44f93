package dev.fwpolicy.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.eval.FlowSyntaxException;

/**
 * The flow reader ({@code fwpolicy eval --flow}, {@code POST /v1/evaluate}; both spellings, then
 * the one flow validator) under Jazzer: any text is a flow or a {@link FlowSyntaxException} whose column points into the text,
 * never another exception.
 */
class FlowFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @DictionaryEntries({"inbound ", "outbound ", "in ", "out ", "tcp ", "udp ", "sctp ", "icmp ", "icmpv6 ", "ipv6-icmp ",
            " -> ", " from ", " to ", " port ", "10.0.0.1:80", "[2001:db8::1]:443", "::1", " type ", "echo-request", " established", " new", " via lo", ":"})
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            var flow = Flow.parse(text);
            assertThat(flow).isNotNull();
        } catch (FlowSyntaxException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.column()).isBetween(1, text.length() + 1);
        }
    }
}
