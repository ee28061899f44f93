package dev.fwpolicy.sidecar.image;

import static dev.fwpolicy.sidecar.image.Podman.IMAGE;
import static dev.fwpolicy.sidecar.image.Podman.VERSION;
import static dev.fwpolicy.sidecar.image.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.sidecar.cli.FwpolicyCommand;
import dev.fwpolicy.sidecar.testing.KubeletVolume;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image of {@code sidecar/image/build}, run by podman the way a pod runs it: joined to a
 * network namespace the test created, with only NET_ADMIN (nft; legacy needs NET_RAW too), a
 * read-only root (only /run writable)
 * and the policy mounted read-only in the kubelet's {@code ..data} layout. Ready, the kernel
 * holding exactly the policy's rules, a volume swap applied, SIGTERM leaving the rules, and a
 * restart adopting them without a write. {@link PodExampleTest} runs examples/k8s/pod.yaml.
 */
@Tag("kernel")
class ContainerImageTest {
    private static final Pattern ID = Pattern.compile("fwp1:([A-Za-z0-9_-]{16})");
    private static final Pattern COUNTERS = Pattern.compile("\\[\\d+:\\d+\\]");

    @TempDir
    Path tmp;

    @Test
    void theImageRunsTheCliWithItsClassArchive() {
        Podman.requireImages();
        var version = podman("run", "--rm", "--network", "none", IMAGE, "--version").requireOk();
        assertThat(version.stdout().strip()).isEqualTo("fwpolicy " + VERSION + " (rule identities fwp1)");
        // -Xshare:on makes an archive the JVM cannot map (other JVM build, other jar) an error
        var shared = podman("run", "--rm", "--network", "none", "-e", "FWPOLICY_JAVA_OPTS=-Xshare:on", IMAGE, "--version");
        assertThat(shared.ok()).as(shared.describe()).isTrue();

        var image = new JsonArray(podman("image", "inspect", IMAGE).requireOk().stdout()).getJsonObject(0);
        var config = image.getJsonObject("Config");
        assertThat(config.getJsonArray("Entrypoint").getList()).containsExactly("/usr/local/bin/fwpolicy");
        assertThat(config.getJsonArray("Cmd").getList()).containsExactly("serve", "--policy-dir=/etc/fwpolicy");
        assertThat(config.getJsonArray("Env").getList()).anyMatch(e -> e.toString().startsWith("PATH=") && e.toString().contains("/usr/sbin"));
        var labels = config.getJsonObject("Labels");
        assertThat(labels.getString("org.opencontainers.image.version")).isEqualTo(VERSION);
        assertThat(labels.getString("org.opencontainers.image.revision")).isNotBlank();
        assertThat(labels.getString("org.opencontainers.image.source")).isNotBlank();
        long bytes = image.getLong("Size");
        System.out.println("image " + IMAGE + ": " + bytes / 1_000_000 + " MB");
        assertThat(bytes).as("image size (issue 15: at most 250 MB)").isLessThanOrEqualTo(250_000_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void servesANamespaceWithOnlyNetAdminAndAReadOnlyRoot(String backend) throws Exception {
        Podman.requireImages();
        try (var netns = Netns.create()) {
            netns.run(List.of("ip", "link", "set", "lo", "up"), java.util.Optional.empty()); // as in every pod: the API listens on loopback
            var dir = tmp.resolve("policy");
            var volume = new KubeletVolume(dir);
            volume.write(Map.of("web.fwpolicy", TestPolicies.WEB));
            var container = netns.name(); // named after the namespace: unique, and recognisable as a test's
            // iptables-legacy reaches the kernel through a raw socket, which takes NET_RAW as well
            var caps = backend.equals("legacy") ? "NET_ADMIN,NET_RAW" : "NET_ADMIN";
            try {
                podman("run", "-d", "--name", container, "--network", "ns:/run/netns/" + netns.name(),
                        "--cap-drop", "ALL", "--cap-add", caps,
                        "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/run",
                        "-v", dir + ":/etc/fwpolicy:ro", IMAGE,
                        "serve", "--policy-dir=/etc/fwpolicy", "--backend=" + backend).requireOk();
                awaitReady(container);
                assertExactlyThePolicy(netns.name(), backend, dir);

                // the kubelet's ..data swap reaches the kernel
                volume.write(Map.of("web.fwpolicy", TestPolicies.WEB_AND_SSH));
                awaitUntil(() -> save(netns.name(), backend).contains("--dport 22"), Duration.ofSeconds(30), "the swap applied");
                assertExactlyThePolicy(netns.name(), backend, dir);

                // SIGTERM: a clean exit, the rules stay in force
                var before = withoutCounters(save(netns.name(), backend));
                podman("stop", "--time", "30", container).requireOk();
                assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", container).requireOk().stdout().strip())
                        .isIn("0", "143");
                assertThat(logs(container)).contains("stopped; the rules stay in force");
                assertThat(withoutCounters(save(netns.name(), backend))).isEqualTo(before);

                // restart: the same container over the rules in force adopts them without writing
                podman("start", container).requireOk();
                awaitReady(container);
                var lastSync = status(container).getJsonObject("lastSync");
                assertThat(lastSync.getString("result")).isEqualTo("ok");
                assertThat(lastSync.getInteger("restoreInvocations")).as(lastSync.encode()).isZero();
                var counts = lastSync.getJsonObject("counts");
                for (var kind : List.of("added", "removed", "moved", "repaired")) {
                    assertThat(counts.getInteger(kind)).as(kind + " in " + counts.encode()).isZero();
                }
                assertThat(withoutCounters(save(netns.name(), backend))).isEqualTo(before);
            } finally {
                System.out.println("--- " + backend + " container log ---\n" + logs(container));
                podman("rm", "-f", "--time", "5", container);
            }
        }
    }

    /** What docs/sidecar.md says about NET_RAW: without it iptables-legacy cannot even read, and the sidecar says so. */
    @Test
    void theLegacyBackendWithoutNetRawFailsLoudlyAndWritesNothing() throws Exception {
        Podman.requireImages();
        try (var netns = Netns.create()) {
            netns.run(List.of("ip", "link", "set", "lo", "up"), java.util.Optional.empty());
            var dir = tmp.resolve("policy");
            new KubeletVolume(dir).write(Map.of("web.fwpolicy", TestPolicies.WEB));
            var container = netns.name();
            try {
                podman("run", "-d", "--name", container, "--network", "ns:/run/netns/" + netns.name(),
                        "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/run",
                        "-v", dir + ":/etc/fwpolicy:ro", IMAGE, "serve", "--policy-dir=/etc/fwpolicy", "--backend=legacy").requireOk();
                awaitUntil(() -> logs(container).contains("failed; the rules of the last successful sync stay in force"),
                        Duration.ofSeconds(60), "a failed sync");
                assertThat(logs(container)).contains("Permission denied");
                assertThat(podman("exec", container, "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9464/readyz").ok())
                        .as("not ready").isFalse();
                assertThat(ids(save(netns.name(), "legacy"))).isEmpty();
            } finally {
                podman("rm", "-f", "--time", "5", container);
            }
        }
    }

    static void awaitReady(String container) throws InterruptedException {
        awaitUntil(() -> {
            var state = podman("inspect", "--format", "{{.State.Running}}", container).stdout().strip();
            if (!state.equals("true")) throw new AssertionError(container + " is not running:\n" + logs(container));
            return podman("exec", container, "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9464/readyz").ok();
        }, Duration.ofSeconds(60), container + " ready");
    }

    /** What the container printed (the JVM logs to stderr; podman keeps the two streams apart). */
    static String logs(String container) {
        var logs = podman("logs", container);
        return logs.stdout() + logs.stderr();
    }

    static JsonObject status(String container) {
        return new JsonObject(podman("exec", container, "wget", "-q", "-O", "-", "http://127.0.0.1:9464/v1/status")
                .requireOk().stdout());
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitUntil(Check check, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (check.holds()) return;
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) throw new AssertionError(what + ": " + e, e);
            }
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + limit + ": " + what);
            Thread.sleep(200);
        }
    }

    /** Both families' filter tables as the host's tools read them in the namespace. */
    static String save(String netns, String backend) {
        return Podman.run("ip", "netns", "exec", netns, "iptables-" + backend + "-save", "-t", "filter").requireOk().stdout()
                + Podman.run("ip", "netns", "exec", netns, "ip6tables-" + backend + "-save", "-t", "filter").requireOk().stdout();
    }

    static String withoutCounters(String save) {
        return save.lines().filter(l -> !l.startsWith("#")).map(l -> COUNTERS.matcher(l).replaceAll(""))
                .collect(Collectors.joining("\n"));
    }

    static Map<String, Integer> ids(String text) {
        var counts = new TreeMap<String, Integer>();
        var m = ID.matcher(text);
        while (m.find()) counts.merge(m.group(1), 1, Integer::sum);
        return counts;
    }

    /**
     * The namespace holds exactly the rules the policy in {@code dir} compiles to: every rule of
     * both families once, no other rule (the namespace started empty), and {@code fwpolicy diff}
     * (run here, on the host) finds nothing to change.
     */
    static void assertExactlyThePolicy(String netns, String backend, Path dir) {
        var compiled = cli("compile", dir.toString());
        assertThat(compiled.exitCode()).as(compiled.err()).isZero();
        var expected = ids(compiled.out());
        assertThat(expected).isNotEmpty().allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        var kernel = save(netns, backend);
        assertThat(ids(kernel)).as(kernel).isEqualTo(expected);
        assertThat(kernel.lines().filter(l -> l.startsWith("-A "))).as("only fwpolicy's rules").allMatch(l -> l.contains("fwp1:"));
        var diff = cli("diff", "--exit-code", "--netns", netns, "--backend", backend, dir.toString());
        assertThat(diff.exitCode()).as(diff.out() + diff.err()).isZero();
    }

    record CliResult(int exitCode, String out, String err) {}

    static CliResult cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cl = FwpolicyCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    static String randomSuffix() {
        var bytes = new byte[5];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
