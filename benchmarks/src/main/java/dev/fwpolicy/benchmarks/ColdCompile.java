package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.compile.Compiler;
import java.util.List;

/**
 * Prints how long the first compile of an N-rule policy takes in a fresh JVM (what a starting
 * sidecar pays before its first sync), then a second one. Run by the harness as a child process.
 */
public final class ColdCompile {
    private ColdCompile() {}

    public static void main(String[] args) {
        var source = PolicyGenerator.generate(Integer.parseInt(args[0]));
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            var result = new Compiler().compile(List.of(source));
            if (result.ruleSet().isEmpty()) throw new IllegalStateException("does not compile: " + result.diagnostics());
            System.out.println("compile " + i + " " + (System.nanoTime() - start) / 1_000_000.0);
        }
    }
}
