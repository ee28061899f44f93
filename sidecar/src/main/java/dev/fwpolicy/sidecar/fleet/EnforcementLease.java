package dev.fwpolicy.sidecar.fleet;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one sidecar says, through its {@code coordination.k8s.io/v1} Lease {@code fwpolicy-<pod>},
 * about the rules in force in its pod. The one codec between a Lease and these values: the
 * sidecar writes it ({@link LeaseKeeper}), {@code fwpolicy fleet} reads it ({@link FleetView}).
 * The Lease's own fields say who and how fresh (holder = the pod, renewTime, leaseDurationSeconds);
 * the annotations say what is enforced.
 *
 * @param pod             the pod the sidecar runs in
 * @param configMap       {@code NAMESPACE/NAME} of the ConfigMap it follows
 * @param revision        the policy revision in the kernel (none before the first successful sync)
 * @param state           in-sync, drift or error
 * @param enforcedAt      when that revision first reached the kernel (the end of the sync that put it there)
 * @param resourceVersion the ConfigMap resourceVersion that revision came from
 * @param observedAt      when the sidecar saw that resourceVersion: enforcedAt − observedAt is the
 *                        time from the ConfigMap change reaching the pod to the kernel holding it
 * @param error           why, when the state is error (cut to {@value #ERROR_MAX} characters)
 * @param renewedAt       the last write
 * @param leaseDuration   how long the Lease counts as fresh after renewedAt: beyond, the sidecar is stale (gone or stuck)
 */
public record EnforcementLease(String pod, String configMap, Optional<String> revision, EnforcementState state,
                               Optional<Instant> enforcedAt, Optional<String> resourceVersion, Optional<Instant> observedAt,
                               Optional<String> error, Instant renewedAt, Duration leaseDuration) {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String COMPONENT_VALUE = "enforcement-status";
    static final String PREFIX = "fwpolicy.dev/";
    static final String REVISION = PREFIX + "revision";
    static final String STATE = PREFIX + "state";
    static final String ENFORCED_AT = PREFIX + "enforced-at";
    static final String CONFIGMAP = PREFIX + "configmap";
    static final String RESOURCE_VERSION = PREFIX + "configmap-resource-version";
    static final String OBSERVED_AT = PREFIX + "observed-at";
    static final String ERROR = PREFIX + "error";
    /** Annotations are small by convention; a rejected 10,000-line payload belongs in the log. */
    static final int ERROR_MAX = 512;
    /** The longest object name Kubernetes takes (DNS subdomain). */
    private static final int NAME_MAX = 253;

    public EnforcementLease {
        error = error.map(e -> e.length() <= ERROR_MAX ? e : e.substring(0, ERROR_MAX - 1) + "…");
    }

    /** {@code fwpolicy-<pod>}; a name too long for Kubernetes is cut and made unique again with a hash. */
    public static String leaseName(String pod) {
        String name = "fwpolicy-" + pod;
        if (name.length() <= NAME_MAX) return name;
        try {
            var hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pod.getBytes(StandardCharsets.UTF_8)));
            return name.substring(0, NAME_MAX - 9) + "-" + hash.substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String leaseName() {
        return leaseName(pod);
    }

    /** The time from the ConfigMap change reaching the sidecar to the kernel holding it. */
    public Optional<Duration> changeToEnforced() {
        if (enforcedAt.isEmpty() || observedAt.isEmpty()) return Optional.empty();
        return Optional.of(Duration.between(observedAt.get(), enforcedAt.get()));
    }

    /** Not renewed within its duration: the sidecar is gone, or stuck. */
    public boolean staleAt(Instant now) {
        return renewedAt.plus(leaseDuration).isBefore(now);
    }

    /** The Lease to write in {@code namespace}, acquired at {@code acquiredAt} (the sidecar's start). */
    public Lease toLease(String namespace, Instant acquiredAt) {
        var annotations = new LinkedHashMap<String, String>();
        annotations.put(CONFIGMAP, configMap);
        annotations.put(STATE, state.word());
        revision.ifPresent(r -> annotations.put(REVISION, r));
        enforcedAt.ifPresent(t -> annotations.put(ENFORCED_AT, t.toString()));
        resourceVersion.ifPresent(v -> annotations.put(RESOURCE_VERSION, v));
        observedAt.ifPresent(t -> annotations.put(OBSERVED_AT, t.toString()));
        error.ifPresent(e -> annotations.put(ERROR, e));
        return new LeaseBuilder()
                .withNewMetadata()
                    .withName(leaseName()).withNamespace(namespace)
                    .withLabels(Map.of(MANAGED_BY, "fwpolicy", COMPONENT, COMPONENT_VALUE))
                    .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                    .withHolderIdentity(pod)
                    .withLeaseDurationSeconds((int) Math.max(1, leaseDuration.toSeconds()))
                    .withAcquireTime(microTime(acquiredAt))
                    .withRenewTime(microTime(renewedAt))
                .endSpec()
                .build();
    }

    /** The values of a Lease fwpolicy wrote; empty for any other Lease (or one too damaged to read). */
    public static Optional<EnforcementLease> of(Lease lease) {
        var meta = lease.getMetadata();
        var spec = lease.getSpec();
        if (meta == null || spec == null || meta.getAnnotations() == null) return Optional.empty();
        var a = meta.getAnnotations();
        var state = Optional.ofNullable(a.get(STATE)).flatMap(EnforcementState::of);
        var renewed = Optional.ofNullable(spec.getRenewTime()).map(ZonedDateTime::toInstant);
        if (state.isEmpty() || renewed.isEmpty() || spec.getHolderIdentity() == null || a.get(CONFIGMAP) == null) {
            return Optional.empty();
        }
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        return Optional.of(new EnforcementLease(spec.getHolderIdentity(), a.get(CONFIGMAP), Optional.ofNullable(a.get(REVISION)),
                state.get(), Optional.ofNullable(a.get(ENFORCED_AT)).flatMap(EnforcementLease::instant),
                Optional.ofNullable(a.get(RESOURCE_VERSION)), Optional.ofNullable(a.get(OBSERVED_AT)).flatMap(EnforcementLease::instant),
                Optional.ofNullable(a.get(ERROR)), renewed.get(), Duration.ofSeconds(seconds)));
    }

    /** Kubernetes' MicroTime holds microseconds. */
    private static ZonedDateTime microTime(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }
}
