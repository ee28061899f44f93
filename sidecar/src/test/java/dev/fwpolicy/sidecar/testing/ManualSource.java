package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.sidecar.source.PolicyProblem;
import dev.fwpolicy.sidecar.source.PolicySource;
import dev.fwpolicy.sidecar.source.SourceUpdate;
import dev.fwpolicy.engine.source.SourceFile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A policy source the test drives by hand; it remembers the rejections the loop reported. */
public final class ManualSource implements PolicySource {
    private Context context;
    private Consumer<SourceUpdate> updates;
    private final List<SourceFile> initial;
    public final List<PolicyProblem> rejected = new CopyOnWriteArrayList<>();

    public ManualSource(List<SourceFile> initial) {
        this.initial = initial;
    }

    @Override
    public String description() {
        return "manual:test";
    }

    @Override
    public Future<Void> start(Vertx vertx, Consumer<SourceUpdate> updates) {
        this.context = vertx.getOrCreateContext();
        this.updates = updates;
        if (!initial.isEmpty()) updates.accept(new SourceUpdate.Loaded(initial, description()));
        return Future.succeededFuture();
    }

    public void push(SourceUpdate update) {
        context.runOnContext(v -> updates.accept(update));
    }

    /** Runs {@code action} on the loop's own context (the one that started this source). */
    public void onLoop(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    public void load(String name, String text) {
        push(new SourceUpdate.Loaded(List.of(new SourceFile(name, text)), description()));
    }

    @Override
    public void rejected(PolicyProblem problem) {
        rejected.add(problem);
    }

    @Override
    public Future<Void> stop() {
        return Future.succeededFuture();
    }
}
