package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.source.SourceFile;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The compiler, with room for one compile started ahead of time.
 *
 * <p>At start-up the first compile of a large policy runs in a cold JVM and is most of the
 * time to ready (about 0.6–1 s at 10,000 rules here). {@link #start} begins it on its own
 * thread the moment the process starts, while the backend is detected and Vert.x comes up
 * on the other core. When the loop then asks for the same sources (equal names and text, as
 * read again by the policy source), it takes that result instead of compiling again; any
 * other sources are compiled as usual. Compiling is a pure function of the sources, so the
 * answer is the same either way. The primed result is handed out once and then dropped, so
 * the parsed files are not kept alive for the life of the process.
 */
public final class PrimedCompile {
    private static final System.Logger LOG = System.getLogger("fwpolicy.loop");

    private final Function<List<SourceFile>, CompileResult> compiler;
    /** The early compile, until it is taken; completes with the sources it read and their result. */
    private CompletableFuture<Primed> primed;

    private record Primed(List<SourceFile> sources, CompileResult result) {}

    public PrimedCompile(Function<List<SourceFile>, CompileResult> compiler) {
        this.compiler = compiler;
    }

    public PrimedCompile() {
        this(new Compiler()::compile);
    }

    /**
     * Reads the sources and compiles them on a daemon thread. A failure to read is ignored here:
     * the policy source reads again and reports it properly.
     */
    public synchronized void start(Supplier<List<SourceFile>> read) {
        var future = new CompletableFuture<Primed>();
        primed = future;
        var thread = new Thread(() -> {
            try {
                List<SourceFile> sources = read.get();
                future.complete(new Primed(sources, compiler.apply(sources)));
            } catch (Throwable e) {
                // Any failure, an OutOfMemoryError included, must complete the future: the loop
                // waits on it, and then compiles again itself and reports what happens there.
                LOG.log(Level.DEBUG, "early compile failed: {0}", e.toString());
                future.completeExceptionally(e);
            }
        }, "fwpolicy-first-compile");
        thread.setDaemon(true);
        thread.start();
    }

    /** The compile of {@code sources}: the primed one when it was of exactly these, else a fresh one. Blocking. */
    public CompileResult compile(List<SourceFile> sources) {
        CompletableFuture<Primed> early;
        synchronized (this) {
            early = primed;
            primed = null;
        }
        if (early != null) {
            try {
                var p = early.join();
                if (p.sources().equals(sources)) return p.result();
            } catch (RuntimeException e) {
                // the early read or compile failed: compile what the source read now, and report that
            }
        }
        return compiler.apply(sources);
    }
}
