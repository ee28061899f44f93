package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;

/**
 * A decoded {@code POST /v1/check}: the files to check, and whether to compare them with the
 * policy in force ({@code "compare": true}) as {@code fwpolicy compare} does.
 */
record CheckRequest(List<SourceFile> files, boolean compare) {

    CheckRequest {
        files = List.copyOf(files);
    }
}
