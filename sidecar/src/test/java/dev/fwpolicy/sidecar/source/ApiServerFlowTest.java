package dev.fwpolicy.sidecar.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.eval.MustPassFlow;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where {@code serve --configmap} finds the API server it must never cut itself off from. */
class ApiServerFlowTest {

    @Test
    void inAPodTheKubeletsVariablesWinOverTheMasterUrl() {
        var found = ApiServerFlow.of(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"),
                "https://127.0.0.1:6443");
        assertThat(found.flows()).extracting(MustPassFlow::text).containsExactly("outbound tcp to 10.96.0.1 port 443");
        assertThat(found.flows().get(0).origin()).isEqualTo("api-server");
        assertThat(found.flows().get(0).flows()).singleElement()
                .satisfies(f -> assertThat(f.text()).isEqualTo("outbound tcp * -> 10.96.0.1:443"));
        assertThat(found.how()).contains("KUBERNETES_SERVICE_HOST");
    }

    @Test
    void anIpv6ServiceAddressIsALiteralToo() {
        var found = ApiServerFlow.of(Map.of("KUBERNETES_SERVICE_HOST", "fd00:10:96::1", "KUBERNETES_SERVICE_PORT", "443"), "");
        assertThat(found.flows()).singleElement().satisfies(f -> {
            assertThat(f.text()).isEqualTo("outbound tcp to fd00:10:96::1 port 443");
            assertThat(f.flows()).singleElement().satisfies(p -> assertThat(p.text()).isEqualTo("outbound tcp * -> [fd00:10:96::1]:443"));
        });
    }

    @Test
    void outsideAPodTheMasterUrlSaysWhere() {
        assertThat(ApiServerFlow.of(Map.of(), "https://[2001:db8::7]:6443/").flows()).extracting(MustPassFlow::text)
                .containsExactly("outbound tcp to 2001:db8::7 port 6443");
        assertThat(ApiServerFlow.of(Map.of(), "https://192.0.2.10").flows()).extracting(MustPassFlow::text)
                .containsExactly("outbound tcp to 192.0.2.10 port 443");
        var localhost = ApiServerFlow.of(Map.of(), "https://localhost:8443");
        assertThat(localhost.flows()).isNotEmpty().allSatisfy(f -> assertThat(f.text()).endsWith(" port 8443"));
        var none = ApiServerFlow.of(Map.of(), "");
        assertThat(none.flows()).isEmpty();
        assertThat(none.how()).contains("unknown");
        assertThat(ApiServerFlow.of(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "http"), "").flows())
                .as("a port that is not a number is not a flow").isEmpty();
    }
}
