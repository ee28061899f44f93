package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every subcommand that talks to the kernel shares (picocli mixin). */
public final class KernelOptions {
    @Option(names = "--netns", paramLabel = "NAME",
            description = "Run every iptables command inside this network namespace (ip netns exec NAME ...).")
    String netns;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|nft|legacy",
            description = "iptables backend; auto picks the one that already holds rules, nft when neither (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--ip-families", defaultValue = "4,6", split = ",", paramLabel = "4|6|4,6", hideParamSyntax = true,
            converter = FamilyConverter.class,
            description = {"Address families to manage: 4 (iptables), 6 (ip6tables) or both (default: ${DEFAULT-VALUE}).",
                "Use 4 on a host without IPv6, where ip6tables cannot run; the other family's table is left alone."})
    List<Family> ipFamilies;

    /** "4" / "6" (or "ipv4" / "ipv6"); anything else is a usage error picocli reports with the option's name. */
    static final class FamilyConverter implements ITypeConverter<Family> {
        @Override
        public Family convert(String value) {
            return switch (value.strip()) {
                case "4", "ipv4" -> Family.V4;
                case "6", "ipv6" -> Family.V6;
                default -> throw new TypeConversionException("expected 4, 6 or 4,6, not '" + value + "'");
            };
        }
    }

    public Set<Family> families() {
        return EnumSet.copyOf(ipFamilies);
    }

    /** Detects the backend (runs *-save), so call it only once the policy compiled. */
    public Reconciler reconciler() {
        return Reconciler.open(BackendChoice.parse(backend), java.util.Optional.ofNullable(netns),
                ReconcilerOptions.defaults().withFamilies(families()));
    }
}
