package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.source.SourceFile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One ConfigMap watched through the API server with a fabric8 informer; every key ending in
 * {@code .fwpolicy} is a file. The informer's callbacks run on fabric8's threads and are handed
 * to the event loop at once. A deleted ConfigMap keeps the last rules in force (it is reported,
 * not obeyed: an accidental delete must not open the firewall). Rejected input is reported as a
 * Warning Event on the ConfigMap, so {@code kubectl describe configmap} shows why.
 */
public final class ConfigMapSource implements PolicySource {
    private static final System.Logger LOG = System.getLogger("fwpolicy.source.configmap");
    /** What Kubernetes accepts as a namespace or ConfigMap name (DNS subdomain). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** The API server refuses Event messages above 1 KiB. */
    private static final int EVENT_MESSAGE_MAX = 1024;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private Vertx vertx;
    private Context context;
    private Consumer<SourceUpdate> updates;
    private SharedIndexInformer<ConfigMap> informer;
    /** The ConfigMap as last seen, to attach Events to (uid, resourceVersion). */
    private Optional<ConfigMap> current = Optional.empty();

    public ConfigMapSource(KubernetesClient client, String namespace, String name) {
        if (!NAME.matcher(namespace).matches() || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Kubernetes namespace/name: " + namespace + "/" + name);
        }
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** {@code NAMESPACE/NAME} → (namespace, name). */
    public static String[] parseReference(String reference) {
        var parts = reference.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("--configmap takes NAMESPACE/NAME, not: " + reference);
        }
        return parts;
    }

    @Override
    public String description() {
        return "configmap:" + namespace + "/" + name;
    }

    @Override
    public Future<Void> start(Vertx vertx, Consumer<SourceUpdate> updates) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.updates = updates;
        informer = client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<ConfigMap>() {
            @Override
            public void onAdd(ConfigMap cm) {
                var at = Instant.now();
                context.runOnContext(v -> seen(cm, at));
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
                var at = Instant.now();
                context.runOnContext(v -> seen(after, at));
            }

            @Override
            public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
                context.runOnContext(v -> {
                    current = Optional.empty();
                    updates.accept(new SourceUpdate.Gone("ConfigMap " + namespace + "/" + name + " was deleted"));
                });
            }

            @Override
            public void onNothing() {
                context.runOnContext(v -> updates.accept(
                        new SourceUpdate.Gone("ConfigMap " + namespace + "/" + name + " does not exist")));
            }
        });
        // Keep retrying (with fabric8's backoff) when the API server is unreachable or says no:
        // the rules in force stay, and the sidecar must not crash-loop over an API outage.
        informer.exceptionHandler((started, error) -> {
            if (notFound(error)) {
                context.runOnContext(v -> updates.accept(
                        new SourceUpdate.Gone("ConfigMap " + namespace + "/" + name + " does not exist")));
            } else {
                LOG.log(Level.WARNING, "watching ConfigMap {0}/{1} failed, retrying: {2}", namespace, name, error.getMessage());
            }
            return true;
        });
        informer.start().whenComplete((v, error) -> {
            if (error == null) LOG.log(Level.INFO, "watching ConfigMap {0}/{1}", namespace, name);
        });
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
        if (informer != null) informer.close();
        return Future.succeededFuture();
    }

    private static boolean notFound(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException kce && kce.getCode() == 404) return true;
        }
        return false;
    }

    private void seen(ConfigMap cm, Instant at) {
        current = Optional.of(cm);
        var files = policyFiles(cm);
        if (files.isEmpty()) {
            updates.accept(new SourceUpdate.Unreadable("ConfigMap " + namespace + "/" + name + " has no key ending in "
                    + PolicyInputs.EXTENSION));
        } else {
            var version = cm.getMetadata().getResourceVersion();
            updates.accept(new SourceUpdate.Loaded(files, description() + "@" + version, Optional.ofNullable(version), at));
        }
    }

    /**
     * The policy keys of {@code data} and of {@code binaryData}, in key order. kubectl puts a
     * file that is not UTF-8 into binaryData: read there, it is reported with its location
     * like the same file on disk, instead of vanishing from the rule set.
     */
    public static List<SourceFile> policyFiles(ConfigMap cm) {
        var files = new TreeMap<String, SourceFile>();
        if (cm.getData() != null) {
            cm.getData().forEach((key, text) -> {
                if (key.endsWith(PolicyInputs.EXTENSION)) files.put(key, new SourceFile(key, text == null ? "" : text));
            });
        }
        if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((key, base64) -> {
                if (!key.endsWith(PolicyInputs.EXTENSION)) return;
                // The API server stores binaryData as bytes and always sends valid base64.
                byte[] bytes = java.util.Base64.getMimeDecoder().decode(base64 == null ? "" : base64);
                files.putIfAbsent(key, SourceFile.decode(key, bytes));
            });
        }
        return List.copyOf(files.values());
    }

    @Override
    public void rejected(PolicyProblem problem) {
        var cm = current;
        if (cm.isEmpty()) return;
        var meta = cm.get().getMetadata();
        var message = eventMessage(problem);
        var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                    .withName(name + "." + Long.toHexString(System.currentTimeMillis()) + Long.toHexString(System.nanoTime() & 0xfff))
                    .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion("v1").withKind("ConfigMap").withNamespace(namespace).withName(name)
                    .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(problem.reason())
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withNewSource().withComponent("fwpolicy").endSource()
                .withReportingComponent("fwpolicy")
                .build();
        vertx.executeBlocking(() -> client.v1().events().inNamespace(namespace).resource(event).create(), false)
                .onFailure(e -> LOG.log(Level.WARNING, "could not record an Event on ConfigMap {0}/{1}: {2}", namespace, name,
                        e.getMessage()));
    }

    /** The reason and the first diagnostics, cut to what the API server accepts. */
    static String eventMessage(PolicyProblem problem) {
        var sb = new StringBuilder(problem.message());
        for (Diagnostic d : problem.diagnostics().stream().filter(Diagnostic::isError).limit(3).toList()) {
            sb.append("\n").append(d.headline());
        }
        return sb.length() <= EVENT_MESSAGE_MAX ? sb.toString() : sb.substring(0, EVENT_MESSAGE_MAX - 1) + "…";
    }
}
