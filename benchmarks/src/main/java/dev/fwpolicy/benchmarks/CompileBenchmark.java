package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Compile time of a generated policy: parse, check, lower, hash, shadow analysis. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBenchmark {
    @Param({"1000", "10000"})
    int rules;

    private SourceFile source;
    private final Compiler compiler = new Compiler();

    @Setup
    public void setup() {
        source = PolicyGenerator.generate(rules);
        var result = compiler.compile(List.of(source));
        if (result.ruleSet().isEmpty() || !result.diagnostics().isEmpty()) {
            throw new IllegalStateException("generated policy does not compile cleanly: " + result.diagnostics());
        }
    }

    @Benchmark
    public RuleSet compile() {
        return compiler.compile(List.of(source)).ruleSet().orElseThrow();
    }
}
