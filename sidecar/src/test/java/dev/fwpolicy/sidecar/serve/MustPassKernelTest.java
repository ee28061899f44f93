package dev.fwpolicy.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.cli.FwpolicyCommand;
import dev.fwpolicy.sidecar.testing.KubeletVolume;
import dev.fwpolicy.sidecar.testing.LoopbackHttp;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code serve --must-pass} as a real process over a real kernel in a test namespace, on both
 * backends: a reload that would cut off the must-pass flow is refused and the kernel keeps the
 * rules in force byte for byte, {@code apply --must-pass} refuses the same policy, and a policy
 * that keeps the flow open is applied.
 */
@Tag("kernel")
class MustPassKernelTest {
    private static final String SSH = "inbound tcp from 10.1.2.3 to port 22";

    @TempDir
    Path tmp;

    private final LoopbackHttp http = new LoopbackHttp();

    private JsonObject status(int port) {
        return new JsonObject(http.get(port, "/v1/status").body());
    }

    private static List<String> rules(Netns netns, String backend) {
        return netns.save(backend).lines().filter(l -> l.startsWith("-A")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void aReloadThatCutsOffAMustPassFlowIsRefusedAndTheKernelKeepsTheOldRules(String backend) throws Exception {
        try (var netns = Netns.create()) {
            var volume = new KubeletVolume(tmp.resolve("policy"));
            volume.write(Map.of("web.fwpolicy", TestPolicies.WEB_AND_SSH));
            int port = LoopbackHttp.freePort();
            var log = tmp.resolve("serve.log");
            var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.fwpolicy.sidecar.Main",
                    "serve", "--policy-dir", volume.root().toString(), "--netns", netns.name(), "--backend", backend,
                    "--listen", "127.0.0.1:" + port, "--must-pass", SSH)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> http.get(port, "/readyz").statusCode() == 200);
                var ready = status(port);
                assertThat(ready.getJsonArray("mustPass")).containsExactly(new JsonObject().put("text", SSH).put("origin", "--must-pass"));
                var applied = ready.getString("appliedRevision");
                var inForce = rules(netns, backend);
                assertThat(String.join("\n", inForce)).contains("--dport 22");

                // WEB drops the ssh rule: the default denies the must-pass flow.
                volume.write(Map.of("web.fwpolicy", TestPolicies.WEB));
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> status(port).getValue("lastError") != null);
                var refused = status(port);
                var lastError = refused.getJsonObject("lastError");
                assertThat(lastError.getString("reason")).isEqualTo("PolicyLockout");
                var error = lastError.getJsonArray("errors").getJsonObject(0);
                assertThat(error.getString("code")).isEqualTo("lockout");
                assertThat(error.getString("location")).endsWith("web.fwpolicy:2:3");
                assertThat(error.getString("message")).contains("\"" + SSH + "\"", "default inbound deny");
                assertThat(refused.getString("appliedRevision")).isEqualTo(applied);
                assertThat(refused.getBoolean("inForce")).isTrue();
                assertThat(rules(netns, backend)).isEqualTo(inForce);
                assertThat(Files.readString(log)).contains("must-pass flow (from --must-pass): " + SSH)
                        .contains("policy rejected (PolicyLockout)").contains("error[lockout]");

                // The one-shot apply refuses the same policy with the same flag.
                var file = tmp.resolve("web.fwpolicy");
                Files.writeString(file, TestPolicies.WEB);
                var err = new StringWriter();
                var cli = FwpolicyCommand.commandLine();
                cli.setOut(new PrintWriter(new StringWriter(), true));
                cli.setErr(new PrintWriter(err, true));
                int exit = cli.execute("apply", file.toString(), "--netns", netns.name(), "--backend", backend, "--must-pass", SSH);
                assertThat(exit).as(err.toString()).isEqualTo(1);
                assertThat(err.toString()).contains("error[lockout]", "nothing applied");
                assertThat(rules(netns, backend)).isEqualTo(inForce);

                // A policy that keeps ssh open (and opens 443) goes in.
                volume.write(Map.of("web.fwpolicy", TestPolicies.WEB_AND_SSH.replace("\"web\"", "\"web\"\n    allow tcp to port 443")));
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> String.join("\n", rules(netns, backend)).contains("--dport 443"));
                assertThat(String.join("\n", rules(netns, backend))).contains("--dport 22");
                await().atMost(Duration.ofSeconds(10)).until(() -> status(port).getValue("lastError") == null);
            } catch (RuntimeException | Error e) {
                System.out.println("--- serve log ---\n" + Files.readString(log));
                throw e;
            } finally {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
