package dev.fwpolicy.sidecar.source;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Where the policy comes from: a watched directory or a watched ConfigMap. A source delivers
 * {@link SourceUpdate}s on the Vert.x context it was started from; the loop decides what to do.
 */
public interface PolicySource {

    /** e.g. {@code dir:/etc/fwpolicy} or {@code configmap:default/web-policy}. */
    String description();

    /**
     * Starts watching. A directory delivers its first read before the future completes; a
     * ConfigMap completes at once and delivers when the API server answers (it may be down).
     */
    Future<Void> start(Vertx vertx, Consumer<SourceUpdate> updates);

    /** Reads the source again (the periodic resync's safety net against a missed event). */
    default void poll() {}

    /** Feedback on what was done with an update; ConfigMap sources turn rejections into Events. */
    default void rejected(PolicyProblem problem) {}

    Future<Void> stop();
}
