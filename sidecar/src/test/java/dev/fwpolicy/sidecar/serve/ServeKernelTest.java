package dev.fwpolicy.sidecar.serve;

import dev.fwpolicy.sidecar.testing.LoopbackHttp;
import dev.fwpolicy.sidecar.testing.KubeletVolume;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fwpolicy serve} as a real process against a real kernel, inside a network namespace:
 * a kubelet-style policy directory, damage done behind its back, the next resync repairing it
 * (visible in /v1/state before, in the metrics after), the time from a policy file change to
 * the kernel holding the new rules, and SIGTERM leaving the rules in force.
 */
@Tag("kernel")
class ServeKernelTest {
    private static final Pattern ID = Pattern.compile("fwp1:([A-Za-z0-9_-]{16})");
    private static final String BACKEND = "nft";

    @TempDir
    Path tmp;

    private final LoopbackHttp http = new LoopbackHttp();

    private JsonObject getJson(int port, String path) {
        return new JsonObject(http.get(port, path).body());
    }

    /** fwp1 identities in a save text, with how many times each appears. */
    private static Map<String, Integer> ids(String save) {
        var counts = new java.util.HashMap<String, Integer>();
        var m = ID.matcher(save);
        while (m.find()) counts.merge(m.group(1), 1, Integer::sum);
        return counts;
    }

    private static String line(String save, String chainPrefix, String contains) {
        return save.lines().filter(l -> l.startsWith("-A " + chainPrefix) && l.contains(contains)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule in " + chainPrefix + " containing " + contains + " in\n" + save));
    }

    private static int position(String save, String line) {
        var chain = line.split(" ")[1];
        var rules = save.lines().filter(l -> l.startsWith("-A " + chain + " ")).toList();
        return rules.indexOf(line) + 1;
    }

    private static double metric(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip())).orElse(-1.0);
    }

    /** A {@code fwpolicy serve} child process over a kubelet-style directory in {@code netns}. */
    private record Served(Process process, int port, Path log) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Served serve(Netns netns, Path dir, String... extra) throws Exception {
        int port = LoopbackHttp.freePort();
        var log = tmp.resolve("serve-" + port + ".log");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.fwpolicy.sidecar.Main",
                "serve", "--policy-dir", dir.toString(), "--netns", netns.name(), "--backend", BACKEND,
                "--listen", "127.0.0.1:" + port));
        argv.addAll(List.of(extra));
        var process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var served = new Served(process, port, log);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> http.get(port, "/readyz").statusCode() == 200);
        } catch (RuntimeException | Error e) {
            System.out.println("--- serve log ---\n" + Files.readString(log));
            served.close();
            throw e;
        }
        return served;
    }

    private List<String> ipv4Ids(int port) {
        return getJson(port, "/v1/rules").getJsonArray("rules").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("family").equals("ipv4")).map(r -> r.getString("id")).toList();
    }

    private static void assertEachOnce(Netns netns, List<String> ids) {
        var kernel = ids(netns.save(BACKEND));
        for (var id : ids) assertThat(kernel.get(id)).as(id).isEqualTo(1);
        assertThat(Set.copyOf(kernel.keySet())).isEqualTo(Set.copyOf(ids));
    }

    @Test
    void tamperingIsVisibleInStateThenRepairedByTheNextResyncAndCounted() throws Exception {
        try (var netns = Netns.create()) {
            var dir = tmp.resolve("policy");
            new KubeletVolume(dir).write(Map.of("web.fwpolicy", TestPolicies.WEB));
            try (var served = serve(netns, dir, "--resync", "2s")) {
                int port = served.port();
                var desired = getJson(port, "/v1/rules").getJsonArray("rules").size();
                var ipv4 = ipv4Ids(port);
                assertEachOnce(netns, ipv4);
                assertThat(getJson(port, "/v1/state").getBoolean("inSync")).isTrue();

                // right after a resync, damage the rules: edit one in place (comment kept), duplicate one, delete one
                var before = getJson(port, "/v1/status").getJsonObject("lastSync").getString("at");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> !getJson(port, "/v1/status").getJsonObject("lastSync").getString("at").equals(before));
                var save = netns.save(BACKEND);
                var web = line(save, "FWP-I-", "--dport 80");
                var established = line(save, "FWP-I-", "ESTABLISHED");
                var loopback = line(save, "FWP-INPUT", "-i lo");
                var tampered = web.replace("--dport 80", "--dport 81").replaceFirst("^-A (\\S+) ", "-R $1 " + position(save, web) + " ");
                netns.restore(BACKEND, "*filter\n" + tampered + "\n" + established + "\n" + "-D FWP-INPUT " + position(save, loopback)
                        + "\nCOMMIT\n");
                var damaged = getJson(port, "/v1/state");
                var summary = damaged.getJsonObject("summary");
                assertThat(damaged.getBoolean("inSync")).as(damaged.encodePrettily()).isFalse();
                assertThat(summary.getInteger("tampered")).as(summary.encode()).isEqualTo(1);
                assertThat(summary.getInteger("duplicate")).as(summary.encode()).isEqualTo(1);
                assertThat(summary.getInteger("missing")).as(summary.encode()).isEqualTo(1);
                var counters = damaged.getJsonArray("rules").stream().map(JsonObject.class::cast)
                        .filter(r -> !"missing".equals(r.getString("status"))).toList();
                assertThat(counters).allMatch(r -> r.getLong("packets") != null && r.getLong("bytes") != null);

                // the next resync repairs it, and the metrics count what it found
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> getJson(port, "/v1/state").getBoolean("inSync"));
                var metrics = http.get(port, "/metrics").body();
                assertThat(metric(metrics, "fwpolicy_drift_repaired_total{kind=\"tampered\"}")).isEqualTo(1.0);
                assertThat(metric(metrics, "fwpolicy_drift_repaired_total{kind=\"duplicate\"}")).isEqualTo(1.0);
                assertThat(metric(metrics, "fwpolicy_drift_repaired_total{kind=\"missing\"}")).isEqualTo(1.0);
                assertThat(metric(metrics, "fwpolicy_syncs_total{result=\"failed\"}")).isEqualTo(0.0);
                assertThat(metric(metrics, "fwpolicy_rules_applied")).isEqualTo(desired);
                assertThat(metric(metrics, "fwpolicy_last_successful_sync_timestamp_seconds")).isPositive();
                // the repair came from a resync; the quiet verify that follows it may already be the last sync
                assertThat(getJson(port, "/v1/status").getJsonObject("lastSuccessfulSync").getString("trigger")).containsPattern("resync|verify");
                assertEachOnce(netns, ipv4);
            }
        }
    }

    @Test
    void policyChangesLandQuicklyAndSigtermLeavesTheRules() throws Exception {
        try (var netns = Netns.create()) {
            var dir = tmp.resolve("policy");
            var volume = new KubeletVolume(dir);
            volume.write(Map.of("web.fwpolicy", TestPolicies.WEB));
            // default --resync (60s), --min-sync-interval (1s) and --debounce (200ms)
            try (var served = serve(netns, dir)) {
                int port = served.port();
                var samples = new ArrayList<Long>();
                for (int i = 0; i < 10; i++) {
                    boolean withSsh = i % 2 == 0;
                    Thread.sleep(1200); // past --min-sync-interval, so each change is measured on its own
                    long start = System.nanoTime();
                    volume.write(Map.of("web.fwpolicy", withSsh ? TestPolicies.WEB_AND_SSH : TestPolicies.WEB));
                    while (netns.save(BACKEND).contains("--dport 22") != withSsh) {
                        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                    }
                    samples.add((System.nanoTime() - start) / 1_000_000);
                }
                var sorted = new ArrayList<>(samples);
                Collections.sort(sorted);
                var syncMs = getJson(port, "/v1/status").getJsonObject("lastSuccessfulSync").getLong("durationMs");
                var report = "policy file change (kubelet ..data swap) -> kernel holds the new rules (" + BACKEND
                        + " backend, netns, default flags incl. --debounce 200ms): samples " + samples + " ms; median "
                        + sorted.get(sorted.size() / 2) + " ms, min " + sorted.get(0) + " ms, max " + sorted.get(sorted.size() - 1)
                        + " ms; the sync itself (read back, plan, restore; verified by the sync --verify-after later) took " + syncMs + " ms";
                System.out.println(report);
                Files.writeString(Path.of("target", "serve-latency.txt"), report + "\n");
                assertThat(sorted.get(sorted.size() / 2)).isLessThan(1500L);
                // 11 writes (start + 10 changes), each followed by at most one verify sync (--verify-after 1s)
                var metricsText = http.get(port, "/metrics").body();
                assertThat(metric(metricsText, "fwpolicy_syncs_total{result=\"ok\"}")).isBetween(11.0, 22.0);
                assertThat(metric(metricsText, "fwpolicy_syncs_total{result=\"failed\"}")).isEqualTo(0.0);

                // SIGTERM: graceful, and the rules stay in force
                var ipv4 = ipv4Ids(port);
                served.process().destroy();
                assertThat(served.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(served.process().exitValue()).isIn(0, 143); // 143: the JVM's exit status after SIGTERM
                assertThat(Files.readString(served.log())).contains("stopped; the rules stay in force");
                assertEachOnce(netns, ipv4);
            }
        }
    }
}
