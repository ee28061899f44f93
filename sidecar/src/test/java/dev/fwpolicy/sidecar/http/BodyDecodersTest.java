package dev.fwpolicy.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The body decoders without a server: what HttpBodyFuzzTest holds them to, shown on known inputs. */
class BodyDecodersTest {
    private static final Optional<String> JSON = Optional.of("application/json");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static BodyError error(Decoded<?> decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        return ((Decoded.Rejected<?>) decoded).error();
    }

    @Test
    void checkBodies() {
        var files = CheckBody.decode(bytes("{\"files\":[{\"text\":\"a\"},{\"name\":\"b.fwpolicy\",\"text\":\"b\"}]}"), JSON);
        assertThat(((Decoded.Ok<CheckRequest>) files).request().files())
                .extracting(f -> f.name()).containsExactly("file0.fwpolicy", "b.fwpolicy");
        assertThat(((Decoded.Ok<CheckRequest>) files).request().compare()).isFalse();
        var compare = CheckBody.decode(bytes("{\"text\":\"a\",\"compare\":true}"), JSON);
        assertThat(((Decoded.Ok<CheckRequest>) compare).request().compare()).isTrue();
        assertThat(error(CheckBody.decode(bytes("{\"text\":\"a\",\"compare\":\"yes\"}"), JSON)).message())
                .isEqualTo("\"compare\" must be true or false");
        assertThat(CheckBody.decode(bytes("[1]"), Optional.empty())).isInstanceOf(Decoded.Ok.class);
        assertThat(error(CheckBody.decode(new byte[0], JSON)).code()).isEqualTo("EmptyBody");
        assertThat(error(CheckBody.decode(bytes("[1]"), JSON)).code()).isEqualTo("BadJson");
        assertThat(error(CheckBody.decode(bytes("null"), JSON)).message()).startsWith("the body is not a JSON object");
        assertThat(error(CheckBody.decode(bytes("{\"files\":[{\"name\":\"x\"}]}"), JSON)).message())
                .isEqualTo("files[0] needs a string \"text\"");
    }

    @Test
    void evaluateBodies() {
        var limits = ApiLimits.DEFAULT;
        var one = EvaluateBody.decode(bytes("{\"flow\":\"inbound tcp 10.0.0.1:4000 -> 10.0.0.2:80\"}"), Optional.of("kernel"), limits);
        var request = ((Decoded.Ok<EvaluateRequest>) one).request();
        assertThat(request.flows()).hasSize(1);
        assertThat(request.kernel()).isTrue();
        assertThat(request.explain()).isTrue();
        assertThat(error(EvaluateBody.decode(bytes("{\"flow\":\"x\",\"against\":\"both\"}"), Optional.empty(), limits)).message())
                .isEqualTo("against must be \"desired\" or \"kernel\", not \"both\"");
        assertThat(error(EvaluateBody.decode(bytes("{\"flows\":[1]}"), Optional.empty(), limits)).code()).isEqualTo("BadField");
        var bad = error(EvaluateBody.decode(bytes("{\"flow\":\"sideways tcp\"}"), Optional.empty(), limits));
        assertThat(bad.code()).isEqualTo("BadFlow");
        assertThat(bad.diagnostics()).isNotEmpty();
        assertThat(error(EvaluateBody.decode(bytes("{\"flow\":"), Optional.empty(), limits)).code()).isEqualTo("BadJson");
    }
}
