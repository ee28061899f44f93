package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.net.Cidr;
import java.util.List;
import java.util.Optional;

/** One {@code from[]} / {@code to[]} entry. */
public sealed interface Peer {

    /**
     * {@code podSelector} and/or {@code namespaceSelector}: pods matching {@code pods} (all when
     * absent) in the policy's namespace, or in the namespaces {@code namespaces} selects.
     */
    record Pods(Optional<LabelSelector> pods, Optional<LabelSelector> namespaces) implements Peer {}

    /** {@code ipBlock}: addresses in {@code cidr} but in none of {@code except}. */
    record IpBlock(Cidr cidr, List<Cidr> except) implements Peer {

        public IpBlock {
            except = List.copyOf(except);
        }
    }
}
