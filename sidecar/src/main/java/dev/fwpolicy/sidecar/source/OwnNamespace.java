package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.LabelSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The namespace the sidecar runs in, which {@code pods "…"} without {@code in} means: the
 * {@code --namespace} flag, else {@code POD_NAMESPACE} (the downward API), else the service
 * account's namespace file, else {@code default} — the order in which each is more
 * deliberate than the next. A value that is not a namespace name is an error, not skipped.
 */
public final class OwnNamespace {
    public static final Path SERVICE_ACCOUNT_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private OwnNamespace() {}

    public record Resolved(String name, String from) {}

    public static Resolved resolve(Optional<String> flag, Map<String, String> environment, Path serviceAccountFile) {
        if (flag.isPresent()) return checked(flag.get().trim(), "--namespace");
        String env = environment.get("POD_NAMESPACE");
        if (env != null && !env.isBlank()) return checked(env.trim(), "POD_NAMESPACE");
        if (Files.isRegularFile(serviceAccountFile)) {
            try {
                String text = Files.readString(serviceAccountFile).trim();
                if (!text.isEmpty()) return checked(text, serviceAccountFile.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException(serviceAccountFile + ": cannot read: " + e.getMessage(), e);
            }
        }
        return new Resolved("default", "default");
    }

    public static Resolved resolve(Optional<String> flag) {
        return resolve(flag, System.getenv(), SERVICE_ACCOUNT_FILE);
    }

    private static Resolved checked(String name, String from) {
        LabelSyntax.namespaceName(name).ifPresent(e -> {
            throw new IllegalArgumentException(from + ": '" + name + "' is not a namespace name: " + e.message());
        });
        return new Resolved(name, from);
    }
}
