package dev.fwpolicy.benchmarks;

import dev.fwpolicy.benchmarks.Report.Goal;
import dev.fwpolicy.benchmarks.Report.Row;
import dev.fwpolicy.benchmarks.Report.Stat;
import dev.fwpolicy.engine.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code fwpolicy check} and {@code fwpolicy compile} of a same-port policy (every rule on
 * port 80, each from its own host) against the harness's usual policy of the same size (every
 * rule on its own port), each as a fresh process started the way {@code ./fwpolicy} starts
 * it: what a user or CI waits for, JVM start included. The usual policy is the baseline, so
 * the ratio shows what the shape costs; before issue 12 the same-port policy's shadow
 * analysis compared every rule with every earlier one (over 120 s at 40,000).
 */
final class PolicyShapes {
    private PolicyShapes() {}

    static List<Integer> sizes(SideBySide.Options opt) {
        return opt.quick() ? List.of(200) : List.of(10_000, 40_000);
    }

    static void figures(Report report, SideBySide.Options opt) throws IOException {
        Path dir = Files.createTempDirectory("fwp-bench-shapes");
        try {
            for (int n : sizes(opt)) {
                var samePort = write(dir, PolicyGenerator.samePort(n));
                var ownPorts = write(dir, PolicyGenerator.generate(n));
                for (String command : List.of("check", "compile")) {
                    var same = new ArrayList<Double>();
                    var own = new ArrayList<Double>();
                    var sameCpu = new ArrayList<Double>();
                    var ownCpu = new ArrayList<Double>();
                    // Alternating, so both shapes see the same load on the shared cores.
                    for (int i = 0; i < opt.repeat(); i++) {
                        var a = run(opt, command, samePort);
                        same.add(a[0]);
                        sameCpu.add(a[1]);
                        var b = run(opt, command, ownPorts);
                        own.add(b[0]);
                        ownCpu.add(b[1]);
                    }
                    boolean target = command.equals("check") && n == 40_000;
                    SideBySide.log("shapes: fwpolicy " + command + " N=" + n + ": same port " + Stat.of(same).text()
                            + " ms (CPU " + Stat.of(sameCpu).text() + "), own ports " + Stat.of(own).text() + " ms (CPU "
                            + Stat.of(ownCpu).text() + ")");
                    report.rows.add(new Row("`fwpolicy " + command + "`, same-port policy (fresh process)", "—", n, "ms",
                            Optional.of(Stat.of(same)), "the same command on N rules with a port each", Optional.of(Stat.of(own)),
                            target ? Goal.VALUE_AT_MOST : Goal.NONE, 2000, target ? "<2 s" : "—",
                            "N × `allow tcp from 10.x.y.z to port 80`; JVM start included, as ./fwpolicy runs it"
                                    + (command.equals("compile") ? "; payload to /dev/null" : "")
                                    // CPU follows the work, not the other processes' load, as wall time does on shared cores.
                                    + String.format(java.util.Locale.ROOT, "; CPU (user+sys) median %.0f ms vs %.0f ms; load %s",
                                            Stat.of(sameCpu).median(), Stat.of(ownCpu).median(), loadAverage())));
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (var f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Path write(Path dir, SourceFile source) throws IOException {
        var file = dir.resolve(source.name());
        Files.writeString(file, source.text());
        return file;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * CPU time (user + system) of this process's waited-for children so far, in ms, from
     * /proc/self/stat (cutime, cstime in clock ticks of 10 ms): it grows when a child is reaped.
     */
    private static double childCpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10.0; // fields 16 and 17 of proc(5)
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** {wall ms, CPU ms} from start to exit of one {@code fwpolicy COMMAND FILE}; it must succeed. */
    private static double[] run(SideBySide.Options opt, String command, Path file) {
        return timed(opt, List.of(command, file.toString()));
    }

    /** Milliseconds from start to exit of one {@code fwpolicy ARGS…}, started as ./fwpolicy starts it; it must succeed. */
    static double run(SideBySide.Options opt, List<String> args) {
        return timed(opt, args)[0];
    }

    /** {wall ms, CPU ms} of one {@code fwpolicy ARGS…}, started as ./fwpolicy starts it; it must succeed. */
    static double[] timed(SideBySide.Options opt, List<String> args) {
        String command = String.join(" ", args);
        var argv = new ArrayList<String>();
        argv.add("java");
        argv.addAll(opt.sidecarJavaOpts());
        argv.addAll(List.of("-jar", opt.sidecarJar().toString()));
        argv.addAll(args);
        try {
            double cpuBefore = childCpuMillis();
            long start = System.nanoTime();
            var p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int exit = p.waitFor();
            double ms = (System.nanoTime() - start) / 1_000_000.0;
            p.onExit().join(); // reaped, so its CPU time is in our children's
            double cpu = childCpuMillis() - cpuBefore;
            if (exit != 0) throw new IllegalStateException("fwpolicy " + command + " exited " + exit + ": " + err);
            return new double[] {ms, cpu};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
