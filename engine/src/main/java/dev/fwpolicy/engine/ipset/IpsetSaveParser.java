package dev.fwpolicy.engine.ipset;

import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strict parser of {@code ipset save} output ({@code create NAME TYPE OPTIONS…} then
 * {@code add NAME MEMBER [OPTIONS…]} per member). Foreign sets are skipped but must still be
 * well-formed lines; fwpolicy's own sets are read completely. Anything unexpected is an
 * {@link IpsetReadBackException}, never an empty or partial answer.
 *
 * <p>An owned set whose shape fwpolicy would never create (another type or family, extra
 * options) keeps its shape but no members: it is going to be replaced, and its members may
 * not even be networks ({@code hash:ip,port} prints {@code 10.0.0.1,tcp:80}).
 */
public final class IpsetSaveParser {
    private IpsetSaveParser() {}

    public static KernelSets parse(String text) {
        var shapes = new LinkedHashMap<String, SetShape>();
        var members = new LinkedHashMap<String, Members>();
        var foreign = new LinkedHashSet<String>();
        // Lines are scanned in place rather than split: a read-back of 50,000 members is on the
        // path of every sync, and a String per line, per word and per octet was most of its cost.
        String lastName = "";
        Members last = null;
        int lineNo = 0;
        for (int start = 0; start < text.length(); ) {
            lineNo++;
            int nl = text.indexOf('\n', start);
            int end = nl >= 0 ? nl : text.length();
            int next = end + 1;
            // The common line, "add NAME MEMBER" of a set already seen, without building strings.
            if (text.startsWith("add ", start)) {
                int nameEnd = text.indexOf(' ', start + 4);
                int extra = nameEnd < 0 ? -1 : text.indexOf(' ', nameEnd + 1);
                // Exactly three non-empty words; anything else takes the checked path below.
                if (nameEnd > start + 4 && nameEnd < end - 1 && (extra < 0 || extra >= end)) {
                    int nameLen = nameEnd - start - 4;
                    Members into;
                    if (last != null && lastName.length() == nameLen && text.regionMatches(start + 4, lastName, 0, nameLen)) {
                        into = last;
                    } else {
                        String name = text.substring(start + 4, nameEnd);
                        into = foreign.contains(name) ? Members.SKIPPED : members.get(name);
                        if (into != null) {
                            lastName = name;
                            last = into;
                        }
                    }
                    if (into != null && into.accepts(text, nameEnd + 1, end)) {
                        start = next;
                        continue;
                    }
                }
            }
            String line = text.substring(start, end);
            start = next;
            slowLine(line, lineNo, shapes, members, foreign);
        }
        Map<String, KernelSet> owned = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> owned.put(name, new KernelSet(name, shape, members.get(name).sorted())));
        return new KernelSets(owned, List.copyOf(foreign), text);
    }

    /** Any line the in-place path did not take, with every check and the exact error. */
    private static void slowLine(String line, int lineNo, Map<String, SetShape> shapes, Map<String, Members> members, Set<String> foreign) {
        var words = line.split(" ", -1);
        String where = "ipset save line " + lineNo + ": ";
        if (words.length < 3 || Arrays.stream(words).anyMatch(String::isEmpty)) {
            throw new IpsetReadBackException(where + "not a create or add line: " + line);
        }
        String name = words[1];
        switch (words[0]) {
            case "create" -> {
                if (shapes.containsKey(name) || foreign.contains(name)) throw new IpsetReadBackException(where + "set " + name + " created twice");
                if (!SetNames.isOwned(name)) {
                    foreign.add(name);
                    return;
                }
                // Found by ReadBackFuzzTest: a name ipset never prints used to escape as IllegalArgumentException.
                if (!KernelSet.isName(name)) throw new IpsetReadBackException(where + "not an ipset name: " + line);
                var shape = shape(where, words);
                shapes.put(name, shape);
                members.put(name, new Members(readableFamily(shape)));
            }
            case "add" -> {
                if (foreign.contains(name)) return;
                var shape = shapes.get(name);
                if (shape == null) throw new IpsetReadBackException(where + "member of set " + name + " before its create line");
                var family = readableFamily(shape);
                if (family.isEmpty()) return;
                if (words.length != 3) throw new IpsetReadBackException(where + "member with options in set " + name + ": " + line);
                var cidr = Cidr.parseStrict(words[2]).filter(c -> c.family() == family.get())
                        .orElseThrow(() -> new IpsetReadBackException(where + "not a " + family.get().label() + " network in set " + name + ": " + words[2]));
                members.get(name).add(cidr);
            }
            default -> throw new IpsetReadBackException(where + "not a create or add line: " + line);
        }
    }

    /** The family whose networks this set's members are, when fwpolicy could have made it. */
    private static Optional<Family> readableFamily(SetShape shape) {
        if (!shape.type().equals(SetShape.HASH_NET) || !shape.otherOptions().isEmpty()) return Optional.empty();
        return shape.addressFamily();
    }

    private static SetShape shape(String where, String[] words) {
        String type = words[2];
        String family = "";
        long maxElements = -1;
        var other = new ArrayList<String>();
        for (int i = 3; i < words.length; i++) {
            String w = words[i];
            switch (w) {
                case "family" -> family = value(where, words, ++i);
                case "maxelem" -> maxElements = number(where, value(where, words, ++i));
                case "hashsize", "bucketsize", "initval" -> value(where, words, ++i);
                default -> other.add(w);
            }
        }
        if (family.isEmpty() || maxElements < 0) {
            // Every hash type prints both; a header without them is not one fwpolicy could have
            // made, but it must still be understood to be repaired.
            if (type.startsWith("hash:")) throw new IpsetReadBackException(where + "hash set header without family or maxelem: " + String.join(" ", words));
        }
        return new SetShape(type, family, maxElements, other);
    }

    private static String value(String where, String[] words, int i) {
        if (i >= words.length) throw new IpsetReadBackException(where + "option without value: " + String.join(" ", words));
        return words[i];
    }

    private static long number(String where, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IpsetReadBackException(where + "not a number: " + text);
        }
    }

    /**
     * The members read so far for one set. An IPv4 set's are packed into longs (address, then
     * prefix, which sorts as {@link Cidr} does) and sorted as primitives: 50,000 read in the
     * kernel's hash order sort far faster so than as objects. Members of a set fwpolicy could not
     * have made (no family) are skipped, as are a foreign set's.
     */
    private static final class Members {
        static final Members SKIPPED = new Members(Optional.empty());
        /** {@link Cidr#compareTo} for members of one family. */
        private static final java.util.Comparator<Cidr> SAME_FAMILY = (a, b) -> {
            int c = Long.compareUnsigned(a.hi(), b.hi());
            if (c != 0) return c;
            c = Long.compareUnsigned(a.lo(), b.lo());
            return c != 0 ? c : Integer.compare(a.prefix(), b.prefix());
        };

        private final Optional<Family> family;
        private long[] v4 = new long[0];
        private int v4Count;
        private final List<Cidr> v6 = new ArrayList<>();

        Members(Optional<Family> family) {
            this.family = family;
        }

        /** Takes the member in {@code text[from, to)}; false when it is not one, for the checked path to report. */
        boolean accepts(String text, int from, int to) {
            if (family.isEmpty()) return true;
            if (family.get() == Family.V4) {
                long packed = packedV4(text, from, to);
                if (packed >= 0) {
                    addPacked(packed);
                    return true;
                }
            }
            var cidr = Cidr.parseStrict(text, from, to);
            if (cidr == null || cidr.family() != family.get()) return false;
            add(cidr);
            return true;
        }

        void add(Cidr c) {
            if (c.family() == Family.V4) addPacked(c.lo() << 6 | c.prefix());
            else v6.add(c);
        }

        private void addPacked(long packed) {
            if (v4Count == v4.length) v4 = Arrays.copyOf(v4, Math.max(16, v4Count * 2));
            v4[v4Count++] = packed;
        }

        List<Cidr> sorted() {
            if (v4Count == 0) {
                // One family: order by the address halves and prefix directly, without Cidr's
                // family comparison, and drop duplicates, so KernelSet finds the list sorted.
                v6.sort(SAME_FAMILY);
                var out = new ArrayList<Cidr>(v6.size());
                for (Cidr c : v6) if (out.isEmpty() || SAME_FAMILY.compare(out.get(out.size() - 1), c) != 0) out.add(c);
                return out;
            }
            Arrays.sort(v4, 0, v4Count);
            var out = new ArrayList<Cidr>(v4Count);
            for (int i = 0; i < v4Count; i++) {
                if (i > 0 && v4[i] == v4[i - 1]) continue;
                out.add(new Cidr(Family.V4, 0, v4[i] >>> 6, (int) (v4[i] & 63)));
            }
            return out;
        }

        /**
         * A plain {@code a.b.c.d} or {@code a.b.c.d/p} in ASCII digits, host bits zero, as
         * {@code address << 6 | prefix}; -1 for anything else, which {@link Cidr#parseStrict}
         * then judges, so this path accepts nothing the strict parser would not.
         */
        static long packedV4(String text, int from, int to) {
            long addr = 0;
            int i = from;
            for (int octet = 0; octet < 4; octet++) {
                int digits = 0, value = 0;
                while (i < to && digits < 4) {
                    char ch = text.charAt(i);
                    if (ch < '0' || ch > '9') break;
                    value = value * 10 + (ch - '0');
                    digits++;
                    i++;
                }
                if (digits == 0 || digits > 3 || value > 255) return -1;
                addr = addr << 8 | value;
                if (octet < 3) {
                    if (i >= to || text.charAt(i) != '.') return -1;
                    i++;
                }
            }
            int prefix = 32;
            if (i < to) {
                if (text.charAt(i) != '/' || i + 1 >= to || to - i - 1 > 2) return -1;
                prefix = 0;
                for (int j = i + 1; j < to; j++) {
                    char ch = text.charAt(j);
                    if (ch < '0' || ch > '9') return -1;
                    prefix = prefix * 10 + (ch - '0');
                }
                if (prefix > 32) return -1;
                long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
                if ((addr & mask) != addr) return -1;
            }
            return addr << 6 | prefix;
        }
    }
}
