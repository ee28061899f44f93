package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PrimedCompileTest {
    private final AtomicInteger compiles = new AtomicInteger();
    private final Function<List<SourceFile>, CompileResult> counting = sources -> {
        compiles.incrementAndGet();
        return new Compiler().compile(sources);
    };

    private static List<SourceFile> policy(String port) {
        return List.of(new SourceFile("p.fwpolicy", "policy p {\n  inbound {\n    allow tcp to port " + port + "\n  }\n}\n"));
    }

    private static boolean allowsPort(CompileResult r, String port) {
        return r.ruleSet().orElseThrow().allRules().anyMatch(rule -> RuleSpecs.spec(rule).contains("--dport " + port + " "));
    }

    @Test
    void theSameSourcesAreCompiledOnceAndTheEarlyResultIsHandedOutOnce() {
        var compiler = new PrimedCompile(counting);
        compiler.start(() -> policy("443"));
        var first = compiler.compile(policy("443"));
        assertThat(allowsPort(first, "443")).isTrue();
        assertThat(compiles).as("the loop's compile took the early one").hasValue(1);

        var again = compiler.compile(policy("443"));
        assertThat(again).isNotSameAs(first);
        assertThat(compiles).as("not kept for later compiles").hasValue(2);
    }

    @Test
    void otherSourcesAreCompiledAfresh() {
        var compiler = new PrimedCompile(counting);
        compiler.start(() -> policy("443"));
        var other = compiler.compile(policy("8443"));
        assertThat(allowsPort(other, "8443")).isTrue();
        assertThat(compiles).as("the early compile, then the asked-for one").hasValue(2);
    }

    @Test
    void aFailedEarlyReadFallsBackToCompilingWhatTheSourceRead() {
        var compiler = new PrimedCompile(counting);
        compiler.start(() -> {
            throw new IllegalArgumentException("no .fwpolicy files");
        });
        assertThat(allowsPort(compiler.compile(policy("80")), "80")).isTrue();
        assertThat(compiles).hasValue(1);
    }

    @Test
    void anErrorInTheEarlyCompileDoesNotLeaveTheLoopWaiting() {
        var first = new AtomicInteger();
        var compiler = new PrimedCompile(sources -> {
            if (first.getAndIncrement() == 0) throw new OutOfMemoryError("Java heap space (simulated)");
            return new Compiler().compile(sources);
        });
        compiler.start(() -> policy("443"));
        var result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> compiler.compile(policy("443")));
        assertThat(allowsPort(result, "443")).as("compiled again by the caller").isTrue();
    }
}
