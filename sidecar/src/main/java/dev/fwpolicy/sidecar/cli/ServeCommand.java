package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.http.BearerToken;
import dev.fwpolicy.sidecar.loop.FirewallSync;
import dev.fwpolicy.sidecar.loop.LoopSettings;
import dev.fwpolicy.sidecar.loop.PrimedCompile;
import dev.fwpolicy.sidecar.loop.ReconcilerFirewall;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.serve.SidecarService;
import dev.fwpolicy.sidecar.fleet.LeaseKeeper;
import dev.fwpolicy.sidecar.source.ApiServerFlow;
import dev.fwpolicy.sidecar.source.OwnNamespace;
import dev.fwpolicy.sidecar.source.ConfigMapSource;
import dev.fwpolicy.sidecar.source.DirectorySource;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.sidecar.source.PolicySource;
import dev.fwpolicy.sidecar.http.ApiLimits;
import dev.fwpolicy.sidecar.http.TlsFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.sidecar.source.ApiServerHealth;
import dev.fwpolicy.sidecar.source.ClusterFeed;
import dev.fwpolicy.sidecar.source.ClusterWatch;
import dev.fwpolicy.sidecar.source.KubernetesClients;
import dev.fwpolicy.sidecar.source.OwnNamespace;
import dev.fwpolicy.sidecar.source.WatchedCluster;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import dev.fwpolicy.engine.cluster.ClusterInput;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Run as a long-lived sidecar that keeps the kernel's rules equal to the policy as it changes.",
            "It reloads the policy when it changes, repairs drift on every resync, and answers questions over HTTP.",
            "",
            "The policy comes from a directory of *.fwpolicy files (a ConfigMap volume works: its",
            "..data symlink swap is followed) or from a ConfigMap watched through the API server",
            "(every key ending in .fwpolicy is a file). Bad policy input is rejected with its",
            "diagnostics (GET /v1/status, the log, and in ConfigMap mode a Warning Event on the",
            "ConfigMap); the last good rules stay in force. So is a policy that would cut off a",
            "--must-pass flow; in ConfigMap mode the API server (KUBERNETES_SERVICE_HOST:PORT) is one by itself.",
            "",
            "Endpoints: GET /v1/status /v1/rules /v1/state /v1/diff /metrics /healthz /readyz,",
            "POST /v1/check (never applied), POST /v1/evaluate, POST /v1/sync (bearer token when --token-file is set).",
            "Limits (connections, timeouts, bodies, flows): see docs/sidecar.md.",
            "",
            "On SIGTERM the rules stay in force (a restart must not open the firewall); pass",
            "--remove-on-exit to take them out."},
        footer = {"", "Examples:",
            "  fwpolicy serve --policy-dir /etc/fwpolicy",
            "  fwpolicy serve --configmap default/web-policy --token-file /var/run/secrets/fwpolicy/token",
            "  fwpolicy serve --policy-dir examples/policies --netns demo --listen 127.0.0.1:9464"})
public final class ServeCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("fwpolicy.serve");
    @picocli.CommandLine.Mixin
    CompileOptions compileOptions;


    static final class SourceOption {
        @Option(names = "--policy-dir", paramLabel = "DIR", required = true,
                description = "Directory of *.fwpolicy files, watched (hidden entries such as ..data are followed, not read twice).")
        Path policyDir;

        @Option(names = "--configmap", paramLabel = "NAMESPACE/NAME", required = true,
                description = "ConfigMap to watch through the API server (in-cluster service account or KUBECONFIG).")
        String configMap;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    SourceOption source;

    @picocli.CommandLine.Mixin
    KernelOptions kernel;

    @picocli.CommandLine.Mixin
    MustPassOptions mustPass;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9464", converter = ListenAddress.Converter.class,
            description = "HTTP API address (default: ${DEFAULT-VALUE}). Any other than loopback needs --token-file.")
    ListenAddress listen;

    @Option(names = "--resync", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Read the kernel back and repair drift this often, even when nothing changed (default: ${DEFAULT-VALUE}).")
    Duration resync;

    @Option(names = "--min-sync-interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Least time between two syncs once --sync-burst is used up; changes arriving meanwhile are folded into one (default: ${DEFAULT-VALUE}).")
    Duration minSyncInterval;

    @Option(names = "--sync-burst", paramLabel = "N", defaultValue = "2",
            description = "Syncs that may start back to back before --min-sync-interval applies (default: ${DEFAULT-VALUE}).")
    int syncBurst;

    @Option(names = "--verify-after", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "After a sync that wrote, sync again this much later to read the kernel back and verify "
                    + "(a committed restore is trusted until then; default: ${DEFAULT-VALUE}).")
    Duration verifyAfter;

    @Option(names = "--member-sync-interval", paramLabel = "DURATION", defaultValue = "100ms", converter = DurationConverter.class,
            description = "Least time between two syncs that only change members of dynamic sets (pods or Services "
                    + "followed through the API server), after a burst of --sync-burst (default: ${DEFAULT-VALUE}).")
    Duration memberSyncInterval;

    @Option(names = "--debounce", paramLabel = "DURATION", defaultValue = "200ms", converter = DurationConverter.class,
            description = "Quiet time after a change in --policy-dir before it is read (default: ${DEFAULT-VALUE}).")
    Duration debounce;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the bearer token: POST /v1/sync needs it, and so does every /v1/* endpoint for clients "
                    + "outside the pod (not on loopback); /healthz, /readyz, /metrics stay open. Re-read every 5 s, "
                    + "so a rotated Secret takes effect without a restart.")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain to serve HTTPS with (needs --tls-key); re-read every 5 s, so a renewed certificate takes effect without a restart.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8 or PKCS#1) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Largest request body of POST /v1/check and /v1/evaluate (default: ${DEFAULT-VALUE}); other endpoints take at most 4096 bytes.")
    long maxBody;

    @Option(names = "--lease-period", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = {"ConfigMap mode: renew this pod's Lease fwpolicy-<pod> (what it enforces, for 'fwpolicy fleet') this often,",
                "besides after every sync; it counts as stale after three periods. 0 turns the Lease off (default: ${DEFAULT-VALUE})."})
    Duration leasePeriod;

    @Option(names = "--pod-name", paramLabel = "NAME",
            description = "The pod's name for its Lease (default: $POD_NAME from the downward API, else $HOSTNAME).")
    String podName;

    @Option(names = "--rule-metrics-max", paramLabel = "N", defaultValue = "2000",
            description = "At most N per-rule series of fwpolicy_rule_packets_total and fwpolicy_rule_bytes_total in /metrics"
                    + " (default: ${DEFAULT-VALUE}); rules beyond are summed per policy as rule=\"other\".")
    int ruleMetricsMax;

    @Option(names = "--remove-on-exit", description = "On shutdown, remove fwpolicy's rules and chains instead of leaving them in force.")
    boolean removeOnExit;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Refusals first: nothing is started, nothing touches the kernel.
        if (!ApiSettings.isLoopback(listen.host()) && tokenFile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--listen " + listen.host()
                    + " is reachable from outside the pod: set --token-file, so that only holders of the token can use /v1/*");
        }
        if (ruleMetricsMax < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rule-metrics-max must be at least 1");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        var loopSettings = new LoopSettings(resync, minSyncInterval, syncBurst, verifyAfter, memberSyncInterval);
        var tls = tlsCert == null ? Optional.<TlsFiles>empty() : Optional.of(new TlsFiles(tlsCert, tlsKey, TlsFiles.DEFAULT_RELOAD));
        tls.ifPresent(TlsFiles::read); // unreadable files stop us here, not at the first handshake
        var apiSettings = new ApiSettings(listen.host(), listen.port(), readToken(), maxBody, ApiLimits.DEFAULT, tls);
        var guard = mustPass.guard(spec);
        // The first compile of a big policy is most of the time to ready in a cold JVM: start it
        // now, on its own thread, while the backend is detected and Vert.x starts on the other core.
        var policyCompiler = compileOptions.compiler(); // the loop's and POST /v1/check's alike
        // Members of dynamic sets: --cluster-state files (read once, no watch); else followed
        // through the API server where serve has a Kubernetes client (ConfigMap mode, running in
        // a pod, or KUBECONFIG set): until the watches have listed, compiles see members as
        // unknown and nothing with empty dynamic sets is applied; else none (a rule using a
        // dynamic set is an error).
        var fromFiles = compileOptions.cluster(false);
        boolean watchCluster = !fromFiles.membersKnown() && (source.configMap != null
                || System.getenv("KUBERNETES_SERVICE_HOST") != null || System.getenv("KUBECONFIG") != null);
        var ownNamespace = fromFiles.ownNamespace();
        var clusterInput = new java.util.concurrent.atomic.AtomicReference<Supplier<ClusterInput>>(
                watchCluster ? () -> ClusterInput.unknownMembers(ownNamespace) : () -> fromFiles);
        var compiler = new PrimedCompile(sources -> policyCompiler.compile(sources, clusterInput.get().get()));
        if (source.policyDir != null) compiler.start(() -> PolicyInputs.read(List.of(source.policyDir)));
        // Detects the backend (runs *-save): before Vert.x starts, so a kernel we cannot talk to stops us here.
        FirewallSync firewall = ReconcilerFirewall.open(Optional.ofNullable(kernel.netns), kernel.backend, kernel.families());

        var registry = SidecarService.newRegistry();
        Vertx vertx = SidecarService.newVertx(registry);
        var apiServerHealth = new ApiServerHealth();
        // fabric8 talks to the API server through our Vert.x instance, not a second event-loop pool.
        Optional<KubernetesClient> kube = watchCluster || source.configMap != null ? Optional.of(KubernetesClients.create(vertx, apiServerHealth)) : Optional.empty();
        ClusterFeed cluster = watchCluster
                ? new WatchedCluster(new ClusterWatch(kube.orElseThrow(), apiServerHealth), ownNamespace)
                : ClusterFeed.fixed(fromFiles);
        clusterInput.set(cluster::input);
        PolicySource policySource;
        if (source.policyDir != null) {
            policySource = new DirectorySource(source.policyDir, debounce);
        } else {
            var ref = ConfigMapSource.parseReference(source.configMap);
            var client = kube.orElseThrow();
            policySource = new ConfigMapSource(client, ref[0], ref[1]);
            // A policy that blocks the API server could never be replaced through the ConfigMap.
            var apiServer = ApiServerFlow.of(System.getenv(), client.getConfiguration().getMasterUrl());
            if (apiServer.flows().isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "the API server is not a must-pass flow: {0}", apiServer.how());
            } else {
                LOG.log(System.Logger.Level.INFO, "the API server is a must-pass flow (from {0})", apiServer.how());
                guard = guard.plus(apiServer.flows());
            }
        }

        Optional<LeaseKeeper> lease = Optional.empty();
        if (kube.isPresent() && !leasePeriod.isZero()) lease = leaseKeeper(kube.get(), source.configMap);

        SidecarService service;
        try {
            service = SidecarService.start(vertx, registry, firewall, policySource,
                            SidecarOptions.of(loopSettings, apiSettings).withRemoveOnExit(removeOnExit).withCompiler(policyCompiler, compiler)
                                    .withGuard(guard).withLease(lease)
                                    .withRuleMetricsMax(ruleMetricsMax)
                                    .withCluster(cluster))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            kube.ifPresent(KubernetesClient::close);
            vertx.close();
            throw new IllegalStateException("could not start: " + rootMessage(e), e);
        }

        var stopped = new CountDownLatch(1);
        var kubeClient = kube;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Straight to stderr: java.util.logging resets its handlers in its own shutdown hook.
            try {
                service.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                System.err.println(removeOnExit
                        ? "fwpolicy: stopped; fwpolicy's rules were removed (--remove-on-exit)"
                        : "fwpolicy: stopped; the rules stay in force (revision "
                                + service.loop().snapshot().applied().orElse("none") + ")");
            } catch (Exception e) {
                System.err.println("fwpolicy: shutdown: " + rootMessage(e));
            } finally {
                kubeClient.ifPresent(KubernetesClient::close);
                vertx.close();
                stopped.countDown();
            }
        }, "fwpolicy-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    /** This pod's Lease keeper, or none (with a warning) when the pod's name is unknown. */
    private Optional<LeaseKeeper> leaseKeeper(KubernetesClient client, String configMap) {
        var env = System.getenv();
        String pod = podName != null ? podName : env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "")).strip();
        if (pod.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "no Lease: the pod's name is unknown (set --pod-name or POD_NAME)");
            return Optional.empty();
        }
        // The own namespace (--namespace, POD_NAMESPACE, the service account's); outside a pod, the ConfigMap's.
        var own = OwnNamespace.resolve(Optional.ofNullable(compileOptions.cluster.namespace));
        String namespace = own.from().equals("default") ? ConfigMapSource.parseReference(configMap)[0] : own.name();
        return Optional.of(new LeaseKeeper(client, namespace, pod, configMap, leasePeriod));
    }

    private Optional<BearerToken> readToken() {
        if (tokenFile == null) return Optional.empty();
        return Optional.of(BearerToken.fromFile(tokenFile, BearerToken.DEFAULT_RELOAD));
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
