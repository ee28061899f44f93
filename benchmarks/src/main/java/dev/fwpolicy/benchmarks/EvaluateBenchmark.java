package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.eval.Decision;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One query of the evaluator ("would this packet pass, and which rule decides") against a
 * compiled 10,000-rule set, the size the query API must serve. Two shapes: the allow-list
 * of {@link PolicyGenerator} (a distinct source and port per rule), and one port open to
 * 10,000 sources (the source-address index has to do the work). Flows are a fixed mix of
 * hits spread over the whole chain and misses that fall through to the default.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluateBenchmark {
    @Param({"10000"})
    int rules;

    @Param({"ports", "sources"})
    String shape;

    private Evaluator evaluator;
    private Flow[] flows;
    private int next;

    @Setup
    public void setup() {
        var source = shape.equals("ports") ? PolicyGenerator.generate(rules) : sources(rules);
        var result = new Compiler().compile(List.of(source));
        RuleSet rs = result.ruleSet().orElseThrow(() -> new IllegalStateException("does not compile: " + result.diagnostics()));
        if (rs.ruleCount() < rules) throw new IllegalStateException("only " + rs.ruleCount() + " rules");
        evaluator = new Evaluator(rs);
        var random = new Random(42);
        flows = new Flow[4096];
        for (int i = 0; i < flows.length; i++) {
            int r = random.nextInt(rules);
            boolean hit = random.nextInt(4) != 0;
            int net = r / 250, host = r % 250 + 1;
            String src = "10." + (net / 250) + "." + (net % 250) + "." + (hit ? host : 251 + random.nextInt(4));
            int port = shape.equals("ports") ? 1024 + r % 60000 : 443;
            flows[i] = Flow.parse("inbound tcp " + src + ":" + (30000 + random.nextInt(30000)) + " -> 192.0.2.1:" + port);
        }
    }

    /** 10,000 sources allowed to one port; written as one rule per source, as an allow-list grows. */
    static SourceFile sources(int rules) {
        var sb = new StringBuilder("policy sources {\n  default inbound deny\n  inbound {\n    allow established\n");
        for (int i = 0; i < rules; i++) {
            int net = i / 250, host = i % 250 + 1;
            sb.append("    allow tcp from 10.").append(net / 250).append('.').append(net % 250).append('.').append(host)
                    .append(" to port 443\n");
        }
        return new SourceFile("sources-" + rules + ".fwpolicy", sb.append("  }\n}\n").toString());
    }

    /**
     * The explain path: every rule consulted with why it did not match. It walks every rule
     * (no index: the trace must show them all) and allocates a step per rule, so it is for
     * one-off explanations, not bulk queries.
     */
    @Benchmark
    public Decision evaluateWithTrace() {
        var f = flows[next++ & (flows.length - 1)];
        return evaluator.evaluate(f);
    }

    /** The query API's path: verdict and deciding rule, no trace. */
    @Benchmark
    public Decision decide() {
        var f = flows[next++ & (flows.length - 1)];
        return evaluator.decide(f);
    }
}
