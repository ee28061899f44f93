package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.SpecTokens;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Drives {@code benchmarks/naive-sync.sh}, the {@code -C}-then-{@code -A} loop fwpolicy is
 * compared with. The loop lives in a shell script on purpose: fwpolicy's own sources never ask
 * {@code -C}.
 */
final class Naive {
    private static final Pattern SUMMARY = Pattern.compile("checked=(\\d+) appended=(\\d+) created=(\\d+)");

    record Result(double millis, int checked, int appended, int created) {
        String summary() {
            return checked + " checked, " + appended + " appended, " + created + " chains created, "
                    + Report.num(millis) + " ms";
        }
    }

    private final Path script;
    private final Backend backend;

    Naive(Path script, Backend backend) {
        this.script = script.toAbsolutePath();
        this.backend = backend;
        if (!Files.isRegularFile(this.script)) throw new IllegalStateException("naive script not found: " + this.script);
    }

    /** Every chain, rule and jump of the rule set, both families, in the order a first apply needs. */
    static List<String> actions(RuleSet rs, int unused) {
        var out = new ArrayList<String>();
        for (Family f : Family.values()) {
            for (var c : rs.chains(f)) out.add("chain\t" + fam(f) + "\t" + c.name());
            for (var c : rs.chains(f)) for (var r : c.rules()) out.add(rule(r));
            for (var j : rs.jumps(f)) out.add(rule(j));
        }
        return out;
    }

    /**
     * {@code count} rules of {@code big}: from index {@code fill} on (absent from a table holding
     * the first {@code fill}), or, with {@code fill < 0}, spread evenly over the chain (all present).
     */
    static List<String> sample(OwnedChain big, int fill, int count) {
        var out = new ArrayList<String>();
        int size = big.rules().size();
        for (int i = 0; i < count; i++) {
            int idx = fill >= 0 ? fill + i : (int) ((long) i * size / count);
            out.add(rule(big.rules().get(idx)));
        }
        return out;
    }

    Result run(Netns ns, List<String> actions) {
        try {
            Path file = Files.createTempFile("fwp-naive-", ".tsv");
            try {
                Files.write(file, actions);
                long start = System.nanoTime();
                var r = ns.runner().run(new Command(List.of("bash", script.toString(), backend.label(), file.toString()),
                        java.util.Optional.empty(), Duration.ofMinutes(30))).requireOk();
                double millis = (System.nanoTime() - start) / 1e6;
                var m = SUMMARY.matcher(r.stdout());
                if (!m.find()) throw new IllegalStateException("naive-sync.sh printed: " + r.stdout() + r.stderr());
                return new Result(millis, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fam(Family f) {
        return f == Family.V4 ? "4" : "6";
    }

    private static String rule(CompiledRule r) {
        return "rule\t" + fam(r.family()) + "\t" + r.chain() + "\t" + String.join("\t", argv(RuleSpecs.spec(r)));
    }
    static List<String> argv(String spec) {
        return SpecTokens.split(spec);
    }
}
