package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the classes off a partition: one per path from the root to a leaf (per protocol when it is split). */
final class Classes {
    private final Partition partition;
    private final Direction direction;
    private final Family family;
    private final List<Change> out;
    private final int[][] box = new int[Dim.COUNT][];

    private Classes(Partition partition, Direction direction, List<Change> out) {
        this.partition = partition;
        this.direction = direction;
        this.family = partition.family();
        this.out = out;
    }

    static void collect(Partition partition, Partition.Node root, Direction direction, List<Change> out) {
        new Classes(partition, direction, out).visit(root);
    }

    private void visit(Partition.Node node) {
        if (node instanceof Partition.Leaf leaf) {
            emit(leaf);
        } else if (node instanceof Partition.Branch b) {
            for (int i = 0; i < b.children.length; i++) {
                box[b.dim] = b.ranges[i];
                visit(b.children[i]);
            }
            box[b.dim] = null;
        }
    }

    private void emit(Partition.Leaf leaf) {
        var before = partition.outcome(leaf.before);
        var after = partition.outcome(leaf.after);
        int[] protocols = box[Dim.PROTOCOL.ordinal()];
        if (protocols == null) {
            out.add(new Change(packets(ProtocolClass.ANY), before, after));
            return;
        }
        int p = Dim.PROTOCOL.ordinal();
        for (int i = 0; i < protocols.length; i += 2) {
            for (int e = protocols[i]; e < protocols[i + 1]; e++) {
                long from = partition.start(p, e)[1], to = partition.end(p, e)[1];
                for (long code = from; code <= to; code++) {
                    out.add(new Change(packets(ProtocolClass.ofCode((int) code, family)), before, after));
                }
            }
        }
    }

    private PacketClass packets(ProtocolClass protocol) {
        boolean ports = protocol.hasPorts();
        boolean types = protocol == ProtocolClass.ANY || protocol.isIcmp();
        return new PacketClass(direction, family, protocol,
                networks(Dim.SOURCE), ports ? ports(Dim.SOURCE_PORT) : List.of(),
                networks(Dim.DESTINATION), ports ? ports(Dim.DESTINATION_PORT) : List.of(),
                types ? types() : List.of(), flag(Dim.STATE).map(s -> s ? ConnState.ESTABLISHED : ConnState.NEW),
                flag(Dim.LOOPBACK));
    }

    /** The value ranges of a dimension on this path, adjacent ones joined: {from, to} inclusive pairs. */
    private List<long[]> values(Dim dim) {
        int d = dim.ordinal();
        var out = new ArrayList<long[]>();
        int[] r = box[d];
        if (r == null) r = new int[] {0, partition.elements(d)};
        for (int i = 0; i < r.length; i += 2) {
            long[] from = partition.start(d, r[i]);
            long[] to = partition.end(d, r[i + 1] - 1);
            out.add(new long[] {from[0], from[1], to[0], to[1]});
        }
        return out;
    }

    private List<PortRange> ports(Dim dim) {
        return values(dim).stream().map(v -> new PortRange((int) v[1], (int) v[3])).toList();
    }

    private List<TypeRange> types() {
        return values(Dim.ICMP_TYPE).stream().map(v -> new TypeRange((int) v[1], (int) v[3])).toList();
    }

    private Optional<Boolean> flag(Dim dim) {
        int[] r = box[dim.ordinal()];
        if (r == null) return Optional.empty();
        // Two values only: a split dimension keeps exactly one of them.
        return Optional.of(partition.start(dim.ordinal(), r[0])[1] == 1);
    }

    private List<Cidr> networks(Dim dim) {
        var out = new ArrayList<Cidr>();
        for (var v : values(dim)) cover(unsigned(v[0], v[1]), unsigned(v[2], v[3]), out);
        return out;
    }

    private static BigInteger unsigned(long hi, long lo) {
        return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(lo)));
    }

    /** The fewest networks that together are exactly {@code [from, to]}. */
    private void cover(BigInteger from, BigInteger to, List<Cidr> out) {
        int bits = family.bits();
        while (from.compareTo(to) <= 0) {
            int aligned = from.signum() == 0 ? bits : Math.min(bits, from.getLowestSetBit());
            int fits = to.subtract(from).add(BigInteger.ONE).bitLength() - 1;
            int size = Math.min(aligned, fits);
            out.add(new Cidr(family, from.shiftRight(64).longValue(), from.longValue(), bits - size));
            from = from.add(BigInteger.ONE.shiftLeft(size));
        }
    }
}
