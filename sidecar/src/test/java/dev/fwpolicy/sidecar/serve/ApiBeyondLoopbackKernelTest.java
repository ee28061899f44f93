package dev.fwpolicy.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.sidecar.testing.TestCerts;
import dev.fwpolicy.engine.testing.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API as a pod exposes it (issue 12 §3): {@code fwpolicy serve} runs inside one test network
 * namespace listening on every address, a client in a second namespace reaches it over a veth
 * pair. The client outside needs the token for every /v1/* endpoint and gets /healthz, /readyz
 * and /metrics without; a client on the pod's loopback reads without it; TLS is served to the
 * outside client. Addresses exist only inside the two namespaces.
 */
@Tag("kernel")
class ApiBeyondLoopbackKernelTest {
    private static final String TOKEN = "t0ken-for-the-test";
    private static final int PORT = 9464;

    @TempDir
    Path tmp;

    private record Pods(Netns server, Netns client, String serverAddress) implements AutoCloseable {
        @Override
        public void close() {
            try {
                client.close();
            } finally {
                server.close();
            }
        }
    }

    /** Two namespaces joined by a veth pair, created from inside them (nothing appears on the host). */
    private static Pods pods() {
        var server = Netns.create();
        Netns client = null;
        try {
            client = Netns.create();
            int subnet = new SecureRandom().nextInt(250) + 1;
            String a = "10.251." + subnet + ".1";
            String b = "10.251." + subnet + ".2";
            server.run(List.of("ip", "link", "add", "fwp-s", "type", "veth", "peer", "name", "fwp-c", "netns", client.name()), java.util.Optional.empty());
            server.run(List.of("ip", "addr", "add", a + "/30", "dev", "fwp-s"), java.util.Optional.empty());
            server.run(List.of("ip", "link", "set", "fwp-s", "up"), java.util.Optional.empty());
            server.run(List.of("ip", "link", "set", "lo", "up"), java.util.Optional.empty());
            client.run(List.of("ip", "addr", "add", b + "/30", "dev", "fwp-c"), java.util.Optional.empty());
            client.run(List.of("ip", "link", "set", "fwp-c", "up"), java.util.Optional.empty());
            client.run(List.of("ip", "link", "set", "lo", "up"), java.util.Optional.empty());
            return new Pods(server, client, a);
        } catch (RuntimeException e) {
            if (client != null) client.close();
            server.close();
            throw e;
        }
    }

    private Process serve(Netns netns, Path log, String... extra) throws Exception {
        var dir = Files.createDirectories(tmp.resolve("policy"));
        // The policy admits the API port from the other pod and from loopback, as a real pod's policy must.
        Files.writeString(dir.resolve("api.fwpolicy"), """
                policy api priority 10 {
                  default inbound deny
                  default outbound allow
                  inbound {
                    allow established
                    allow tcp from 10.251.0.0/16 to port 9464 "api from the cluster"
                    allow tcp from 127.0.0.0/8 to port 9464 "api on loopback"
                  }
                }
                """);
        var token = tmp.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var argv = new ArrayList<>(List.of("ip", "netns", "exec", netns.name(), java, "-cp", System.getProperty("java.class.path"),
                "dev.fwpolicy.sidecar.Main", "serve", "--policy-dir", dir.toString(), "--backend", "nft", "--ip-families", "4",
                "--listen", "0.0.0.0:" + PORT, "--token-file", token.toString()));
        argv.addAll(List.of(extra));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** curl inside {@code netns}: the status code, or 0 when no HTTP answer came. */
    private static int status(Netns netns, String url, String... headers) {
        var argv = new ArrayList<>(List.of("curl", "-s", "-k", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10"));
        for (var h : headers) argv.addAll(List.of("-H", h));
        argv.add(url);
        try {
            return Integer.parseInt(netns.run(argv, java.util.Optional.empty()).strip());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void outsideThePodEveryV1EndpointNeedsTheTokenAndTheProbesDoNot() throws Exception {
        try (var pods = pods()) {
            var log = tmp.resolve("serve.log");
            var process = serve(pods.server(), log);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> status(pods.server(), "http://127.0.0.1:" + PORT + "/readyz") == 200);
                String outside = "http://" + pods.serverAddress() + ":" + PORT;
                for (var path : List.of("/healthz", "/readyz", "/metrics")) {
                    assertThat(status(pods.client(), outside + path)).as("outside, no token: " + path).isEqualTo(200);
                }
                for (var path : List.of("/v1/status", "/v1/rules", "/v1/state", "/v1/diff", "/v1/nothing")) {
                    assertThat(status(pods.client(), outside + path)).as("outside, no token: " + path).isEqualTo(401);
                    assertThat(status(pods.client(), outside + path, "Authorization: Bearer wrong")).as(path).isEqualTo(403);
                }
                assertThat(status(pods.client(), outside + "/v1/status", "Authorization: Bearer " + TOKEN)).isEqualTo(200);
                assertThat(status(pods.client(), outside + "/v1/nothing", "Authorization: Bearer " + TOKEN)).isEqualTo(404);
                // Inside the pod, on loopback: reads need no token; a sync does.
                assertThat(status(pods.server(), "http://127.0.0.1:" + PORT + "/v1/status")).isEqualTo(200);
                assertThat(pods.server().run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                        "http://127.0.0.1:" + PORT + "/v1/sync"), java.util.Optional.empty()).strip()).isEqualTo("401");
            } catch (AssertionError | RuntimeException e) {
                System.out.println("--- serve log ---\n" + Files.readString(log));
                throw e;
            } finally {
                stop(process);
            }
        }
    }

    @Test
    void withACertificateTheOutsideClientSpeaksHttps() throws Exception {
        var pair = TestCerts.selfSigned(tmp, "api", "api.fwpolicy.test");
        try (var pods = pods()) {
            var log = tmp.resolve("serve-tls.log");
            var process = serve(pods.server(), log, "--tls-cert", pair.cert().toString(), "--tls-key", pair.key().toString());
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> status(pods.server(), "https://127.0.0.1:" + PORT + "/readyz") == 200);
                String outside = "https://" + pods.serverAddress() + ":" + PORT;
                assertThat(status(pods.client(), outside + "/v1/status")).isEqualTo(401);
                assertThat(status(pods.client(), outside + "/v1/status", "Authorization: Bearer " + TOKEN)).isEqualTo(200);
                assertThat(status(pods.client(), outside + "/healthz")).isEqualTo(200);
                assertThat(status(pods.client(), "http://" + pods.serverAddress() + ":" + PORT + "/healthz")).as("plain HTTP").isNotEqualTo(200);
            } catch (AssertionError | RuntimeException e) {
                System.out.println("--- serve log ---\n" + Files.readString(log));
                throw e;
            } finally {
                stop(process);
            }
        }
    }
}
