package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.source.SourceFile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a policy source tells the reconcile loop. */
public sealed interface SourceUpdate {

    /**
     * The source's current files (all of them, not a delta).
     *
     * @param version    the source's own version of them (a ConfigMap's resourceVersion), if it has one
     * @param observedAt when the source saw them (the start of "ConfigMap change to enforcement")
     */
    record Loaded(List<SourceFile> files, String description, Optional<String> version, Instant observedAt)
            implements SourceUpdate {
        public Loaded {
            files = List.copyOf(files);
        }

        /** Files with no version of their own, seen now. */
        public Loaded(List<SourceFile> files, String description) {
            this(files, description, Optional.empty(), Instant.now());
        }
    }

    /** The source disappeared (ConfigMap deleted, directory gone): keep the rules in force, say so. */
    record Gone(String reason) implements SourceUpdate {}

    /** The source could not be read (I/O error, not UTF-8, no policy files). */
    record Unreadable(String message) implements SourceUpdate {}
}
