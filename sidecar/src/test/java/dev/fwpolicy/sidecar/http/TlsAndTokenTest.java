package dev.fwpolicy.sidecar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestCerts;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from PEM files that are swapped while the sidecar runs, and the token rule for a
 * loopback client (the rule for clients outside the pod is checked from another network
 * namespace in {@code ApiBeyondLoopbackKernelTest}).
 */
class TlsAndTokenTest {
    @TempDir
    Path dir;

    private static ServiceHarness serve(Optional<BearerToken> token, Optional<TlsFiles> tls) {
        var svc = new ServiceHarness(new FakeFirewall(), new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, token, 4096, ApiLimits.DEFAULT, tls));
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
        return svc;
    }

    @Test
    void servesHttpsAndPicksUpARenewedCertificateWithoutARestart() throws Exception {
        var first = TestCerts.selfSigned(dir, "first", "first.fwpolicy.test");
        var cert = dir.resolve("tls.crt");
        var key = dir.resolve("tls.key");
        Files.copy(first.cert(), cert);
        Files.copy(first.key(), key);
        try (var svc = serve(Optional.empty(), Optional.of(new TlsFiles(cert, key, Duration.ofMillis(200))))) {
            int port = svc.service.port();
            assertThat(TestCerts.servedSubject(port)).isEqualTo("CN=first.fwpolicy.test");
            var https = TestCerts.httpsClient().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(https.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> svc.get("/healthz")).as("plain HTTP on the TLS port").isInstanceOf(RuntimeException.class);

            // Renewed by renaming the new files into place one after the other. Between the two
            // renames the key is not the certificate's: that half-rotated pair must not be served
            // (every handshake would fail), so the first pair stays for several reload ticks.
            var second = TestCerts.selfSigned(dir, "second", "second.fwpolicy.test");
            Files.move(second.key(), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(1000);
            assertThat(TestCerts.servedSubject(port)).as("half-rotated pair not served").isEqualTo("CN=first.fwpolicy.test");
            Files.move(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(10)).until(() -> TestCerts.servedSubject(port).equals("CN=second.fwpolicy.test"));

            // A key that does not load keeps the certificate in force.
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
            Thread.sleep(1000);
            assertThat(TestCerts.servedSubject(port)).isEqualTo("CN=second.fwpolicy.test");
        }
    }

    @Test
    void onLoopbackOnlySyncNeedsTheToken() throws Exception {
        try (var svc = serve(Optional.of(BearerToken.fixed("tok")), Optional.empty())) {
            for (var path : List.of("/v1/status", "/v1/rules", "/v1/state", "/healthz", "/readyz", "/metrics")) {
                assertThat(svc.get(path).status()).as(path).isEqualTo(200);
            }
            assertThat(svc.send(HttpRequest.newBuilder(svc.uri("/v1/sync")).POST(HttpRequest.BodyPublishers.noBody())).status())
                    .isEqualTo(401);
        }
    }
}
