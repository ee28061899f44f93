package dev.fwpolicy.sidecar.serve;

import dev.fwpolicy.engine.eval.PolicyCheck;
import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.http.ApiVerticle;
import dev.fwpolicy.sidecar.fleet.LeaseKeeper;
import dev.fwpolicy.sidecar.loop.FirewallSync;
import dev.fwpolicy.sidecar.loop.LoopEvents;
import dev.fwpolicy.sidecar.loop.ReconcileLoop;
import dev.fwpolicy.sidecar.metrics.ServiceMetrics;
import dev.fwpolicy.sidecar.source.PolicySource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.VertxOptions;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.UUID;

/**
 * The running sidecar: the reconcile loop and the HTTP API deployed on one Vert.x instance
 * (which fabric8 shares in ConfigMap mode). Stopping leaves the rules in force unless asked to
 * remove them: a sidecar restart (image update, OOM kill) must not open the pod's firewall.
 */
public final class SidecarService {
    private static final System.Logger LOG = System.getLogger("fwpolicy.service");

    private final Vertx vertx;
    private final FirewallSync firewall;
    private final ReconcileLoop loop;
    private final ApiVerticle api;
    private final boolean removeOnExit;
    private final Optional<LeaseKeeper> lease;
    private String loopId;
    private String apiId;

    private SidecarService(Vertx vertx, FirewallSync firewall, ReconcileLoop loop, ApiVerticle api, boolean removeOnExit,
                           Optional<LeaseKeeper> lease) {
        this.lease = lease;
        this.vertx = vertx;
        this.firewall = firewall;
        this.loop = loop;
        this.api = api;
        this.removeOnExit = removeOnExit;
    }

    /** Methods that keep their own label value; any other method name a client sends is counted as {@code OTHER}. */
    static final String KNOWN_METHODS = "GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH";
    /** Backstop: distinct values per label of the HTTP meters beyond which new series are dropped. */
    static final int MAX_LABEL_VALUES = 64;

    /**
     * A Vert.x instance whose metrics (HTTP server and the service's own) go to {@code registry}.
     * HTTP series are labelled by method, status code and route template only, never by what a
     * client can choose freely (path, remote address): every method name a client invents would
     * otherwise become new series until the heap is full. Class-path file resolving is off: the
     * service serves no files, and with it on Vert.x creates a cache directory under /tmp at
     * start-up, which fails on a read-only root file system.
     */
    public static Vertx newVertx(PrometheusMeterRegistry registry) {
        var metrics = new MicrometerMetricsOptions().setEnabled(true)
                .setRegistryName("fwpolicy-" + UUID.randomUUID()) // one per instance: tests run several
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))
                .addLabelMatch(new Match().setDomain(MetricsDomain.HTTP_SERVER).setLabel(Label.HTTP_METHOD.toString())
                        .setType(MatchType.REGEX).setValue("(?!(" + KNOWN_METHODS + ")$).*").setAlias("OTHER"));
        for (var label : new Label[] {Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE}) {
            registry.config().meterFilter(MeterFilter.maximumAllowableTags(MetricsDomain.HTTP_SERVER.getPrefix(), label.toString(),
                    MAX_LABEL_VALUES, MeterFilter.deny()));
        }
        var files = new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false);
        return Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics).setFileSystemOptions(files))
                .withMetrics(new MicrometerMetricsFactory(registry)).build();
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Deploys the loop and the API on {@code vertx}, whose metrics go to {@code registry}. */
    public static Future<SidecarService> start(Vertx vertx, PrometheusMeterRegistry registry, FirewallSync firewall,
                                               PolicySource source, SidecarOptions options) {
        var metrics = new ServiceMetrics(registry, options.ruleMetricsMax());
        var events = options.lease().<LoopEvents>map(l -> LoopEvents.both(metrics, l)).orElse(metrics);
        var loop = new ReconcileLoop(firewall, source, options.loop(), events, firewall.backend(), options.compiler(),
                options.guard(), options.time(), options.cluster());
        var api = new ApiVerticle(loop, options.api(), registry, new PolicyCheck(options.checker(), options.guard(), options.cluster()::input));
        var service = new SidecarService(vertx, firewall, loop, api, options.removeOnExit(), options.lease());
        // The API first, so /healthz and /v1/status answer while the first policy loads.
        return vertx.deployVerticle(api)
                .compose(id -> {
                    service.apiId = id;
                    return vertx.deployVerticle(loop);
                })
                .map(id -> {
                    service.loopId = id;
                    options.lease().ifPresent(l -> l.start(vertx, metrics));
                    return service;
                });
    }

    public ReconcileLoop loop() {
        return loop;
    }

    public int port() {
        return api.port();
    }

    public Future<Void> stop() {
        // The Lease is left to go stale: a Lease renewed no more is how the fleet sees a sidecar gone.
        lease.ifPresent(LeaseKeeper::stop);
        Future<Void> loopDown = loopId == null ? Future.succeededFuture() : vertx.undeploy(loopId);
        return loopDown.compose(v -> {
            if (!removeOnExit) {
                LOG.log(Level.INFO, "stopped; the rules stay in force (revision {0})", loop.snapshot().applied().orElse("none"));
                return Future.succeededFuture();
            }
            return vertx.executeBlocking(firewall::removeAll).map(r -> {
                LOG.log(Level.INFO, "stopped; removed fwpolicy''s rules ({0} rule(s)) as --remove-on-exit asked",
                        r.counts().removed());
                return null;
            });
        }).compose(v -> apiId == null ? Future.<Void>succeededFuture() : vertx.undeploy(apiId));
    }
}
