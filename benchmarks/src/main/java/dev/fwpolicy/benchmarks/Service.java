package dev.fwpolicy.benchmarks;

import dev.fwpolicy.benchmarks.Report.Goal;
import dev.fwpolicy.benchmarks.Report.Row;
import dev.fwpolicy.benchmarks.Report.Stat;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The sidecar figures: {@code fwpolicy serve} started as its own process (the shaded jar, default
 * JVM flags, as {@code ./fwpolicy serve} runs it) inside a namespace of ours, with a policy
 * directory of ours, its API on 127.0.0.1 only.
 */
final class Service {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final SideBySide.Options opt;
    private final Report report;
    private final Compiler compiler = new Compiler();

    Service(SideBySide.Options opt, Report report) {
        this.opt = opt;
        this.report = report;
    }

    void figures(Backend backend, int n) {
        String b = backend.label();
        if (!Files.isRegularFile(opt.sidecarJar())) {
            String why = "not measured: sidecar jar " + opt.sidecarJar() + " not built";
            report.rows.add(new Row("sidecar start → /readyz", b, n, "ms", Optional.empty(), "—", Optional.empty(), Goal.NONE, 0, "—", why));
            return;
        }
        int repeat = Math.min(opt.repeat(), 3);
        int changes = opt.repeat();
        List<Double> ready = new ArrayList<>();
        List<Double> rssReady = new ArrayList<>();
        List<Double> rssAfter = new ArrayList<>();
        List<Double> latency = new ArrayList<>();
        double resolution = 0;
        SideBySide.log(b + " N=" + n + ": sidecar ×" + repeat + " starts, " + changes + " policy changes each");
        for (int i = 0; i < repeat; i++) {
            Path dir = null;
            Process p = null;
            boolean ok = false;
            try (var ns = Netns.create(opt.prefix())) {
                dir = Files.createTempDirectory("fwp-bench-policy-");
                Files.writeString(dir.resolve("generated.fwpolicy"), PolicyGenerator.generate(n).text());
                int port = freePort();
                Path log = dir.resolveSibling(dir.getFileName() + ".log");
                long start = System.nanoTime();
                p = startSidecar(ns, dir, b, port, log);
                waitReady(p, port, log);
                ready.add((System.nanoTime() - start) / 1e6);
                rssReady.add(rssMb(p.pid()));
                // Policy changes: rule N/2 edited and back, each a whole-file rewrite as an editor or
                // kubectl would do it, timed until a read-back of the kernel shows the new rule.
                var runner = ns.runner();
                for (int c = 0; c < changes; c++) {
                    var source = PolicyGenerator.generate(n, c % 2 == 0 ? n / 2 : -1);
                    RuleSet rs = compiler.compile(List.of(source)).ruleSet().orElseThrow();
                    var change = SideBySide.OneChange.of(c % 2 == 0 ? compile(n, -1) : compile(n, n / 2), rs);
                    // The loop's token bucket allows a sync a second after the burst is spent; changes a
                    // person makes are further apart than that, so do not measure the rate limit.
                    Thread.sleep(1_100);
                    Path tmp = dir.resolve(".generated.tmp");
                    Files.writeString(tmp, source.text());
                    long t0 = System.nanoTime();
                    Files.move(tmp, dir.resolve("generated.fwpolicy"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
                    double lastPoll = 0;
                    while (true) {
                        long s = System.nanoTime();
                        String saved = SideBySide.save(runner, backend, Family.V4).stdout();
                        long e = System.nanoTime();
                        lastPoll = (e - s) / 1e6;
                        if (saved.contains(change.after().id()) && !saved.contains(change.before().id())) {
                            latency.add((e - t0) / 1e6);
                            break;
                        }
                        if (e > deadline) throw new IllegalStateException("the sidecar did not apply the change within 30 s; log: " + log);
                    }
                    resolution = Math.max(resolution, lastPoll);
                }
                rssAfter.add(rssMb(p.pid()));
                ok = true;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                stop(p);
                deleteTree(dir, ok);
            }
        }
        String flags = "java " + jvmFlags() + " -jar fwpolicy.jar serve";
        boolean at10k = n == 10_000;
        report.rows.add(new Row("sidecar start → /readyz 200 (incl. JVM start, first apply)", b, n, "ms", Optional.of(Stat.of(ready)), "—",
                Optional.empty(), at10k ? Goal.VALUE_AT_MOST : Goal.NONE, 2_000, at10k ? "<2,000 ms" : "—", flags));
        report.rows.add(new Row("sidecar RSS when ready", b, n, "MB", Optional.of(Stat.of(rssReady)), "—", Optional.empty(),
                at10k ? Goal.VALUE_AT_MOST : Goal.NONE, 150, at10k ? "<150 MB" : "—", "VmRSS of the serve process; " + flags));
        report.rows.add(new Row("sidecar RSS after " + changes + (changes == 1 ? " policy change" : " policy changes"), b, n, "MB", Optional.of(Stat.of(rssAfter)), "—",
                Optional.empty(), at10k ? Goal.VALUE_AT_MOST : Goal.NONE, 150, at10k ? "<150 MB" : "—", "VmRSS of the serve process; " + flags));
        boolean at1k = n == 1_000;
        report.rows.add(new Row("policy file change → kernel holds it", b, n, "ms", Optional.of(Stat.of(latency)), "—", Optional.empty(),
                at1k ? Goal.VALUE_AT_MOST : Goal.NONE, 500, at1k ? "<500 ms" : "—",
                String.format(java.util.Locale.ROOT, "atomic rename into --policy-dir (default --debounce 200ms), until a kernel read-back shows "
                        + "the new rule and not the old; poll resolution ≤ %.0f ms", resolution)));
    }

    /**
     * {@code POST /v1/evaluate} under load: one sidecar with the N-rule policy, wrk (one thread,
     * 16 connections: the API admits 16 per client address) on the same 2 cores, one flow that hits rule N/2, the query path
     * ({@code "explain": false}; the explain trace walks every rule and is for one-off questions).
     */
    void evaluateUnderLoad(Backend backend, int n) {
        String b = backend.label();
        String why = null;
        if (!Files.isRegularFile(opt.sidecarJar())) why = "not measured: sidecar jar not built";
        else if (!onPath("wrk")) why = "not measured: wrk not installed (apt-get install wrk)";
        if (why != null) {
            report.rows.add(new Row("POST /v1/evaluate under load (wrk, loopback)", b, n, "req/s", Optional.empty(), "—", Optional.empty(),
                    Goal.VALUE_AT_LEAST, 5_000, "≥5,000 req/s", why));
            return;
        }
        int runs = Math.min(opt.repeat(), 3);
        int seconds = opt.quick() ? 2 : 10;
        SideBySide.log(b + " N=" + n + ": POST /v1/evaluate, wrk ×" + runs + " × " + seconds + " s");
        int i = n / 2;
        int net = i / 250;
        String flow = "inbound tcp 10." + (net / 250) + "." + (net % 250) + "." + (i % 250 + 1) + ":40000 -> 192.0.2.1:" + (1024 + i % 60000);
        String body = "{\"flow\": \"" + flow + "\", \"explain\": false}";
        List<Double> rates = new ArrayList<>();
        long errors = 0;
        Path dir = null;
        Process p = null;
        boolean ok = false;
        try (var ns = Netns.create(opt.prefix())) {
            dir = Files.createTempDirectory("fwp-bench-policy-");
            Files.writeString(dir.resolve("generated.fwpolicy"), PolicyGenerator.generate(n).text());
            int port = freePort();
            Path log = dir.resolveSibling(dir.getFileName() + ".log");
            p = startSidecar(ns, dir, b, port, log);
            waitReady(p, port, log);
            String url = "http://127.0.0.1:" + port + "/v1/evaluate";
            var check = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (check.statusCode() != 200 || !check.body().contains("decisions")) {
                throw new IllegalStateException("POST /v1/evaluate answered " + check.statusCode() + ": " + check.body());
            }
            Path lua = dir.resolveSibling(dir.getFileName() + ".lua");
            Files.writeString(lua, "wrk.method = \"POST\"\nwrk.body = '" + body + "'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
            var rate = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)");
            var bad = java.util.regex.Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
            for (int r = 0; r < runs; r++) {
                var w = new ProcessBuilder("wrk", "-t1", "-c16", "-d" + seconds + "s", "-s", lua.toString(), url).redirectErrorStream(true).start();
                String out = new String(w.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (w.waitFor() != 0) throw new IllegalStateException("wrk failed: " + out);
                var m = rate.matcher(out);
                if (!m.find()) throw new IllegalStateException("wrk printed: " + out);
                rates.add(Double.parseDouble(m.group(1)));
                var e = bad.matcher(out);
                if (e.find()) errors += Long.parseLong(e.group(1));
            }
            Files.deleteIfExists(lua);
            ok = true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            stop(p);
            deleteTree(dir, ok);
        }
        report.rows.add(new Row("POST /v1/evaluate under load (wrk, loopback)", b, n, "req/s", Optional.of(Stat.of(rates)), "—", Optional.empty(),
                n == 10_000 ? Goal.VALUE_AT_LEAST : Goal.NONE, 5_000, n == 10_000 ? "≥5,000 req/s" : "—",
                "wrk -t1 -c16 -d" + seconds + "s, one flow, explain off, against the policy; wrk and the sidecar share the 2 cores; "
                        + errors + " non-2xx responses; " + jvmFlags()));
    }

    /** How the sidecar's JVM was started, for the notes: the shipped options file, other flags, or the JVM's defaults. */
    private String jvmFlags() {
        var opts = opt.sidecarJavaOpts();
        if (opts.isEmpty()) {
            return "with the JVM's default flags (" + Runtime.getRuntime().availableProcessors() + " cpus, "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB default max heap here)";
        }
        if (!opts.isEmpty() && opts.get(0).endsWith("sidecar/jvm.options")) {
            return "as ./fwpolicy runs it: @sidecar/jvm.options"
                    + (opts.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile")) ? " + class archive (sidecar/cds-archive)" : "");
        }
        return String.join(" ", opts);
    }

    /** {@code fwpolicy serve} on the policy directory inside the namespace, output to {@code log}; tracked for cleanup. */
    private Process startSidecar(Netns ns, Path dir, String backend, int port, Path log) throws IOException {
        var argv = new ArrayList<String>();
        argv.add("java");
        argv.addAll(opt.sidecarJavaOpts());
        argv.addAll(List.of("-jar", opt.sidecarJar().toString(), "serve", "--policy-dir", dir.toString(),
                "--netns", ns.name(), "--backend", backend, "--listen", "127.0.0.1:" + port));
        var p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        track(p);
        return p;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }

    private RuleSet compile(int n, int edited) {
        return compiler.compile(List.of(PolicyGenerator.generate(n, edited))).ruleSet().orElseThrow();
    }

    private static void waitReady(Process p, int port, Path log) throws InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("fwpolicy serve exited (" + p.exitValue() + "); log: " + log);
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("fwpolicy serve not ready within 120 s; log: " + log);
    }

    private static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "fwp-bench-sidecar-cleanup"));
    }

    /** Killed on exit; its pid also goes to --pid-file so benchmarks/run can kill it after a kill -9 of this JVM. */
    private void track(Process p) throws IOException {
        LIVE.add(p);
        if (opt.pidFile() != null) {
            Files.writeString(opt.pidFile(), p.pid() + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static void stop(Process p) {
        if (p == null) return;
        LIVE.remove(p);
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The policy directory always; the sidecar's log only when all went well (else the error names it). */
    private static void deleteTree(Path dir, boolean withLog) {
        if (dir == null) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            if (withLog) Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".log"));
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
