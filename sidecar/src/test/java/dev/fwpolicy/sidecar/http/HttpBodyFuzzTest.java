package dev.fwpolicy.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.Optional;

/**
 * The request bodies of the API under Jazzer ({@code POST /v1/check}, {@code POST /v1/evaluate}):
 * any bytes decode to a request or to a 400 with a code and a message, never an exception (which
 * the server would answer with a 500). One target for both bodies, so that CI pays for one Maven
 * run: the last byte picks the endpoint and its content type or {@code against} query parameter.
 */
class HttpBodyFuzzTest {
    /** Small limits so that the fuzzer reaches the TooManyFlows answers with short inputs. */
    private static final ApiLimits LIMITS = new ApiLimits(64, 16, Duration.ofSeconds(10), Duration.ofSeconds(60), 4096, 4, 2, 20_000, 2, 4,
            Duration.ofSeconds(10));

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"{\"text\":", "{\"files\":[", "{\"name\":", "\"text\":", "\"allow tcp from any to port 80\"", "null", "[]", "{}",
            "true", "false", "1e999", "\"\\u0000\"", "\"\\ud800\"", "{\"flow\":", "{\"flows\":[", "\"against\":", "\"explain\":",
            "\"kernel\"", "\"desired\"", "\"compare\":", "\"inbound tcp 10.0.0.1:4000 -> 10.0.0.2:80\"", "\"outbound udp [2001:db8::1]:53 -> [::1]:53\"",
            " -> ", "icmp", "type echo-request"})
    void body(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 5)) {
            case 0 -> check(Optional.empty(), data.consumeRemainingAsBytes());
            case 1 -> check(Optional.of("text/plain"), data.consumeRemainingAsBytes());
            case 2 -> check(Optional.of("application/json; charset=utf-8"), data.consumeRemainingAsBytes());
            case 3 -> evaluate(Optional.empty(), data.consumeRemainingAsBytes());
            case 4 -> evaluate(Optional.of("kernel"), data.consumeRemainingAsBytes());
            default -> evaluate(Optional.of(data.consumeString(8)), data.consumeRemainingAsBytes());
        }
    }

    private static void check(Optional<String> type, byte[] body) {
        var decoded = CheckBody.decode(body, type);
        if (decoded instanceof Decoded.Ok<CheckRequest> ok) {
            assertThat(ok.request().files()).isNotEmpty().allSatisfy(f -> assertThat(f.name()).isNotBlank());
        } else {
            assertRejected(((Decoded.Rejected<?>) decoded).error());
        }
    }

    private static void evaluate(Optional<String> against, byte[] body) {
        var decoded = EvaluateBody.decode(body, against, LIMITS);
        if (decoded instanceof Decoded.Ok<EvaluateRequest> ok) {
            var request = ok.request();
            assertThat(request.flows()).isNotEmpty();
            if (request.explain()) assertThat(request.flows().size()).isLessThanOrEqualTo(LIMITS.maxExplainedFlows());
        } else {
            var error = ((Decoded.Rejected<?>) decoded).error();
            assertRejected(error);
            if (error.code().equals("BadFlow")) assertThat(error.diagnostics()).isNotEmpty();
        }
    }

    private static void assertRejected(BodyError error) {
        assertThat(error.status()).isBetween(400, 499);
        assertThat(error.code()).isIn("EmptyBody", "BadJson", "BadField", "TooManyFlows", "BadFlow");
        assertThat(error.message()).isNotBlank();
    }
}
