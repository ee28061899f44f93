package dev.fwpolicy.sidecar.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes objects from a file as kubectl writes them: JSON or YAML, one object, a
 * {@code kind: List}, or several YAML documents. Parsing is fabric8's, so that the model
 * is the one the watches use.
 */
final class KubernetesFiles {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubernetesFiles() {}

    static List<HasMetadata> read(Path file) {
        Object parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = SERIALIZATION.unmarshal(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a Kubernetes object or list in JSON or YAML: " + e.getMessage(), e);
        }
        var out = new ArrayList<HasMetadata>();
        flatten(file, parsed, out);
        return out;
    }

    private static void flatten(Path file, Object parsed, List<HasMetadata> out) {
        if (parsed instanceof KubernetesList list) {
            for (var item : list.getItems()) flatten(file, item, out);
        } else if (parsed instanceof List<?> documents) {
            for (var d : documents) flatten(file, d, out);
        } else if (parsed instanceof HasMetadata object) {
            out.add(object);
        } else if (parsed != null) {
            throw new IllegalArgumentException(file + ": not a Kubernetes object or list: " + parsed.getClass().getSimpleName());
        }
    }

    /** {@code Kind namespace/name}, how an error names the object it is about. */
    static String describe(HasMetadata object) {
        var meta = object.getMetadata();
        String ns = meta == null || meta.getNamespace() == null ? "" : meta.getNamespace() + "/";
        return object.getKind() + " " + ns + (meta == null ? "?" : meta.getName());
    }
}
