package dev.fwpolicy.sidecar.image;

import static dev.fwpolicy.sidecar.image.ContainerImageTest.assertExactlyThePolicy;
import static dev.fwpolicy.sidecar.image.ContainerImageTest.awaitReady;
import static dev.fwpolicy.sidecar.image.ContainerImageTest.save;
import static dev.fwpolicy.sidecar.image.ContainerImageTest.withoutCounters;
import static dev.fwpolicy.sidecar.image.Podman.REPO;
import static dev.fwpolicy.sidecar.image.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/k8s/pod.yaml, run exactly as docs/sidecar.md says: {@code podman kube play --network
 * none --configmap examples/k8s/configmap.yaml examples/k8s/pod.yaml}. The sidecar puts the
 * ConfigMap's policy in force in the pod's network namespace; the application container, which
 * shares that namespace but holds no NET_ADMIN, can neither read nor change the rules, not even
 * as uid 0.
 */
@Tag("kernel")
class PodExampleTest {
    private static final String POD = "web-demo";
    private static final Path MANIFEST = Path.of("examples/k8s/pod.yaml");
    private static final Path CONFIGMAP = Path.of("examples/k8s/configmap.yaml");

    @TempDir
    Path tmp;

    @Test
    void theSidecarEnforcesTheConfigMapAndTheAppCannotTouchTheRules() throws Exception {
        Podman.requireImages();
        // The pod has a fixed name (the manifest's): test runs from several worktrees on one host take turns.
        try (var channel = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "fwpolicy-pod-example.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); var turn = channel.lock()) {
            playThePod();
        }
    }

    private void playThePod() throws Exception {
        assertThat(podman("pod", "exists", POD).ok())
                .as("a pod named " + POD + " already runs; remove it first: podman kube play --down " + MANIFEST).isFalse();
        var policy = configMapPolicy();
        // The documented command, run from the repository root (relative paths as printed).
        var play = Podman.run(List.of("sh", "-c", "cd \"$0\" && exec podman kube play --network none --configmap " + CONFIGMAP
                + " " + MANIFEST, REPO.toString()));
        // The pod's namespace gets a fwp-test- name for the host-side checks (ip netns attach);
        // deleting the name later does not touch the pod, and the pod's removal frees the namespace.
        var netns = "fwp-test-" + ContainerImageTest.randomSuffix();
        boolean named = false;
        try {
            assertThat(play.ok()).as(play.describe()).isTrue();
            awaitReady(POD + "-fwpolicy");
            var infraPid = podman("inspect", "--format", "{{.State.Pid}}", podman("pod", "inspect", "--format",
                    "{{.InfraContainerID}}", POD).requireOk().stdout().strip()).requireOk().stdout().strip();
            Podman.run("ip", "netns", "attach", netns, infraPid).requireOk();
            named = true;

            // the sidecar put exactly the ConfigMap's policy in force in the pod's namespace
            assertExactlyThePolicy(netns, "nft", policy);
            var inForce = withoutCounters(save(netns, "nft"));
            // ...with a read-only root of its own
            assertThat(podman("exec", POD + "-fwpolicy", "touch", "/opt/fwpolicy/x").ok()).isFalse();

            // the application shares the namespace: it serves on the pod's loopback...
            var page = podman("exec", POD + "-app", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/").requireOk();
            assertThat(page.stdout()).contains("fwpolicy demo application");
            // ...but without NET_ADMIN it can neither read nor change the rules, as its own user or as root
            for (var user : List.of("65534", "0")) {
                for (var read : List.of(List.of("iptables-nft-save"), List.of("ip6tables-nft-save"), List.of("nft", "list", "ruleset"))) {
                    var r = exec(user, read);
                    assertThat(r.ok()).as(r.describe()).isFalse();
                    assertThat(r.stderr()).as(r.describe()).containsPattern("Permission denied|Operation not permitted");
                }
                // legacy tables: the kernel refuses their contents; at most the (empty) list of table names is readable
                var legacy = exec(user, List.of("iptables-legacy-save"));
                assertThat(legacy.stdout()).as(legacy.describe()).doesNotContain("fwp1:").doesNotContain("-A ");
                for (var change : List.of(List.of("iptables-nft", "-F"), List.of("iptables-nft", "-I", "INPUT", "-j", "ACCEPT"),
                        List.of("ip6tables-nft", "-F"), List.of("nft", "flush", "ruleset"),
                        List.of("iptables-legacy", "-I", "INPUT", "-j", "ACCEPT"))) {
                    var r = exec(user, change);
                    assertThat(r.ok()).as(r.describe()).isFalse();
                }
            }
            assertThat(withoutCounters(save(netns, "nft"))).as("the rules after the application's attempts").isEqualTo(inForce);
            assertExactlyThePolicy(netns, "nft", policy);
        } finally {
            System.out.println("--- " + POD + "-fwpolicy log ---\n" + ContainerImageTest.logs(POD + "-fwpolicy"));
            Podman.run(List.of("sh", "-c", "cd \"$0\" && exec podman kube play --down " + MANIFEST, REPO.toString()));
            if (named) Podman.run("ip", "netns", "del", netns).requireOk();
        }
        assertThat(podman("pod", "exists", POD).ok()).as("the pod is gone after --down").isFalse();
    }

    private static Podman.Result exec(String user, List<String> argv) {
        var full = new java.util.ArrayList<>(List.of("exec", "--user", user, POD + "-app"));
        full.addAll(argv);
        return podman(full.toArray(String[]::new));
    }

    /** The .fwpolicy keys of examples/k8s/configmap.yaml, written out as files: what the sidecar should enforce. */
    private Path configMapPolicy() throws Exception {
        var dir = Files.createDirectories(tmp.resolve("configmap"));
        try (var client = new KubernetesClientBuilder().build(); InputStream in = Files.newInputStream(REPO.resolve(CONFIGMAP))) {
            var cm = client.load(in).items().stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                    .findFirst().orElseThrow();
            for (var e : cm.getData().entrySet()) {
                if (e.getKey().endsWith(".fwpolicy")) Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
        }
        return dir;
    }
}
