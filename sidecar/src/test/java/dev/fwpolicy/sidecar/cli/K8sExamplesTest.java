package dev.fwpolicy.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.source.SourceFile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The manifests in examples/k8s hold together: the policy compiles, the sidecar's arguments are
 * ones {@code serve} accepts and point at the ConfigMap that exists, only the sidecar has
 * NET_ADMIN, and the ServiceAccount may read that ConfigMap and record Events, nothing more.
 */
class K8sExamplesTest {
    private static final Path DIR = Path.of("../examples/k8s");
    private static KubernetesClient client;
    private static List<HasMetadata> objects;

    @BeforeAll
    static void load() throws IOException {
        client = new KubernetesClientBuilder().build(); // only for parsing; never connects
        objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    objects.addAll(client.load(in).items());
                }
            }
        }
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + DIR));
    }

    private static Container sidecar(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getInitContainers().stream().filter(c -> c.getName().equals("fwpolicy"))
                .findFirst().orElseThrow();
    }

    @Test
    void thePolicyInTheConfigMapCompiles() {
        var cm = one(ConfigMap.class, "web-policy");
        var files = cm.getData().entrySet().stream().filter(e -> e.getKey().endsWith(".fwpolicy"))
                .map(e -> new SourceFile(e.getKey(), e.getValue())).toList();
        assertThat(files).isNotEmpty();
        var result = new Compiler().compile(files);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(cm.getData().get("web.fwpolicy")).contains("port 9464");
    }

    @Test
    void sidecarsRunServeWithArgumentsItAccepts() {
        var deployments = all(Deployment.class);
        assertThat(deployments).hasSize(2);
        for (var d : deployments) {
            var c = sidecar(d);
            assertThat(c.getRestartPolicy()).isEqualTo("Always"); // a native sidecar: starts before the app
            var args = c.getArgs();
            assertThat(args.get(0)).isEqualTo("serve");
            var parsed = new CommandLine(new ServeCommand()).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
            assertThat(parsed.errors()).isEmpty();
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
            for (var app : d.getSpec().getTemplate().getSpec().getContainers()) {
                var caps = app.getSecurityContext() == null ? null : app.getSecurityContext().getCapabilities();
                assertThat(caps == null ? List.of() : caps.getAdd()).doesNotContain("NET_ADMIN");
            }
        }
    }

    /**
     * docs/sidecar.md, "The xtables lock in a pod": iptables-legacy's lock is /run/xtables.lock,
     * shared only by containers that mount the same volume at /run. fwpolicy has one (writable,
     * the root file system being read-only), and every other container that may run iptables
     * (NET_ADMIN or NET_RAW) mounts that same volume there.
     */
    @Test
    void everyContainerThatMayRunIptablesSharesFwpolicysRunVolume() {
        for (var d : all(Deployment.class)) {
            var spec = d.getSpec().getTemplate().getSpec();
            var run = sidecar(d).getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/run")).findFirst()
                    .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + ": fwpolicy has no volume at /run"));
            assertThat(run.getReadOnly()).isNotEqualTo(Boolean.TRUE);
            var volume = spec.getVolumes().stream().filter(v -> v.getName().equals(run.getName())).findFirst().orElseThrow();
            assertThat(volume.getEmptyDir()).as("an emptyDir, private to the pod").isNotNull();
            var containers = new ArrayList<>(spec.getInitContainers());
            containers.addAll(spec.getContainers());
            for (var c : containers) {
                var caps = c.getSecurityContext() == null || c.getSecurityContext().getCapabilities() == null ? List.<String>of()
                        : c.getSecurityContext().getCapabilities().getAdd();
                if (caps.stream().noneMatch(x -> x.equals("NET_ADMIN") || x.equals("NET_RAW"))) continue;
                assertThat(c.getVolumeMounts()).as("%s/%s mounts the lock's volume at /run", d.getMetadata().getName(), c.getName())
                        .anyMatch(m -> m.getName().equals(run.getName()) && m.getMountPath().equals("/run"));
            }
        }
    }

    @Test
    void configMapModePointsAtTheConfigMapAndMayReadItAndRecordEvents() {
        var d = one(Deployment.class, "web");
        var cm = one(ConfigMap.class, "web-policy");
        assertThat(sidecar(d).getArgs()).contains("--configmap=" + cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName());
        var sa = one(ServiceAccount.class, d.getSpec().getTemplate().getSpec().getServiceAccountName());
        var binding = all(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(sa.getMetadata().getName())))
                .findFirst().orElseThrow();
        var role = one(Role.class, binding.getRoleRef().getName());
        Map<String, List<String>> verbs = new java.util.HashMap<>();
        for (var rule : role.getRules()) {
            for (var res : rule.getResources()) verbs.computeIfAbsent(res, k -> new ArrayList<>()).addAll(rule.getVerbs());
            if (rule.getResources().contains("configmaps")) assertThat(rule.getResourceNames()).containsExactly(cm.getMetadata().getName());
            if (rule.getResources().contains("leases")) assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
        }
        assertThat(verbs).containsOnlyKeys("configmaps", "events", "leases");
        assertThat(verbs.get("configmaps")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(verbs.get("events")).containsExactly("create");
        // The Lease keeper writes with create-or-update: create, then get + update; never list, watch, patch or delete.
        assertThat(verbs.get("leases")).containsExactlyInAnyOrder("get", "create", "update");
        // Its Lease is named after the pod: the sidecar gets the pod's name from the downward API.
        assertThat(sidecar(d).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POD_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
        assertThat(objects).filteredOn(o -> !(o instanceof ClusterRole) && !(o instanceof ClusterRoleBinding))
                .allMatch(o -> "shop".equals(o.getMetadata().getNamespace()));
    }

    /**
     * Dynamic sets: the sidecar's ServiceAccount may list and watch exactly what the cluster
     * watch asks the API server for (WatchKind: pods, namespaces, endpointslices), and nothing
     * else, through one ClusterRole bound to that ServiceAccount only.
     */
    @Test
    void theSelectorRoleListsAndWatchesExactlyWhatTheClusterWatchUses() {
        var sa = one(ServiceAccount.class, one(Deployment.class, "web").getSpec().getTemplate().getSpec().getServiceAccountName());
        var bindings = all(ClusterRoleBinding.class);
        assertThat(bindings).hasSize(1);
        var binding = bindings.get(0);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
        });
        var role = one(ClusterRole.class, binding.getRoleRef().getName());
        Map<String, List<String>> verbs = new java.util.TreeMap<>();
        for (var rule : role.getRules()) {
            assertThat(rule.getResourceNames()).isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            for (var group : rule.getApiGroups()) {
                for (var res : rule.getResources()) verbs.computeIfAbsent(group + "/" + res, k -> new ArrayList<>()).addAll(rule.getVerbs());
            }
        }
        var expected = new java.util.TreeMap<String, List<String>>();
        for (var kind : dev.fwpolicy.sidecar.source.WatchKind.values()) {
            String group = kind == dev.fwpolicy.sidecar.source.WatchKind.ENDPOINTSLICES ? "discovery.k8s.io" : "";
            expected.put(group + "/" + kind.resource(), List.of("list", "watch"));
        }
        assertThat(verbs).isEqualTo(expected);
    }

    /** In ConfigMap mode the API server is a must-pass flow: the example's own policy must let it through, both ways. */
    @Test
    void theExamplePolicyKeepsTheApiServerReachable() {
        var cm = one(ConfigMap.class, "web-policy");
        var files = dev.fwpolicy.sidecar.source.ConfigMapSource.policyFiles(cm);
        var ruleSet = new dev.fwpolicy.engine.compile.Compiler().compile(files).ruleSet().orElseThrow();
        var apiServer = dev.fwpolicy.sidecar.source.ApiServerFlow.of(
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"), "");
        assertThat(apiServer.flows()).hasSize(1);
        assertThat(new dev.fwpolicy.engine.eval.LockoutGuard(apiServer.flows()).check(ruleSet)).isEmpty();
        // and the guard would notice if it did not
        var closed = files.get(0).text().replace("default outbound allow", "default outbound deny");
        var closedSet = new dev.fwpolicy.engine.compile.Compiler()
                .compile(List.of(new dev.fwpolicy.engine.source.SourceFile("web.fwpolicy", closed))).ruleSet().orElseThrow();
        assertThat(new dev.fwpolicy.engine.eval.LockoutGuard(apiServer.flows()).check(closedSet)).isNotEmpty();
    }

    @Test
    void volumeModeMountsTheWholeConfigMapNotASubPath() {
        var d = one(Deployment.class, "web-volume");
        var c = sidecar(d);
        var dirArg = c.getArgs().stream().filter(a -> a.startsWith("--policy-dir=")).findFirst().orElseThrow();
        var mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dirArg.substring("--policy-dir=".length())))
                .findFirst().orElseThrow();
        assertThat(mount.getSubPath()).isNull();
        var volume = d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo("web-policy");
    }

    @Test
    void thePlainPodRunsTheSameSidecarOnTheVolumeAndOnlyItHoldsNetAdmin() {
        var pod = one(Pod.class, "web-demo");
        var containers = pod.getSpec().getContainers();
        var sidecar = containers.stream().filter(c -> c.getName().equals("fwpolicy")).findFirst().orElseThrow();
        // one image name everywhere, the one sidecar/image/build tags
        for (var d : all(Deployment.class)) assertThat(sidecar(d).getImage()).isEqualTo(sidecar.getImage());
        assertThat(sidecar.getImage()).matches("[^\\s]+/fwpolicy-sidecar:[^\\s]+");
        var args = sidecar.getArgs();
        assertThat(args.get(0)).isEqualTo("serve");
        var parsed = new CommandLine(new ServeCommand()).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        assertThat(parsed.errors()).isEmpty();
        var dir = args.stream().filter(a -> a.startsWith("--policy-dir=")).findFirst().orElseThrow().substring("--policy-dir=".length());
        var mount = sidecar.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dir)).findFirst().orElseThrow();
        assertThat(mount.getSubPath()).isNull();
        var volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo("web-policy");
        assertThat(sidecar.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(sidecar.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
        assertThat(sidecar.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        var apps = containers.stream().filter(c -> c != sidecar).toList();
        assertThat(apps).isNotEmpty().allSatisfy(app -> {
            assertThat(app.getImage()).matches("[^\\s]+/fwpolicy-demo-app:[^\\s]+");
            assertThat(app.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(app.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        });
    }
}
