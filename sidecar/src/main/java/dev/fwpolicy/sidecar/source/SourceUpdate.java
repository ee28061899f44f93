package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;

/** What a policy source tells the reconcile loop. */
public sealed interface SourceUpdate {

    /** The source's current files (all of them, not a delta). */
    record Loaded(List<SourceFile> files, String description) implements SourceUpdate {
        public Loaded {
            files = List.copyOf(files);
        }
    }

    /** The source disappeared (ConfigMap deleted, directory gone): keep the rules in force, say so. */
    record Gone(String reason) implements SourceUpdate {}

    /** The source could not be read (I/O error, not UTF-8, no policy files). */
    record Unreadable(String message) implements SourceUpdate {}
}
