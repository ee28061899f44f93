package dev.fwpolicy.engine.ipset;

import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        var members = new LinkedHashMap<String, List<Cidr>>();
        var foreign = new LinkedHashSet<String>();
        var lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) break;
            var words = line.split(" ", -1);
            String where = "ipset save line " + (i + 1) + ": ";
            if (words.length < 3 || java.util.Arrays.stream(words).anyMatch(String::isEmpty)) {
                throw new IpsetReadBackException(where + "not a create or add line: " + line);
            }
            String name = words[1];
            switch (words[0]) {
                case "create" -> {
                    if (shapes.containsKey(name) || foreign.contains(name)) throw new IpsetReadBackException(where + "set " + name + " created twice");
                    if (!SetNames.isOwned(name)) {
                        foreign.add(name);
                        continue;
                    }
                    // Found by ReadBackFuzzTest: a name ipset never prints used to escape as IllegalArgumentException.
                    if (!KernelSet.isName(name)) throw new IpsetReadBackException(where + "not an ipset name: " + line);
                    shapes.put(name, shape(where, words));
                    members.put(name, new ArrayList<>());
                }
                case "add" -> {
                    if (foreign.contains(name)) continue;
                    var shape = shapes.get(name);
                    if (shape == null) throw new IpsetReadBackException(where + "member of set " + name + " before its create line");
                    var family = readableFamily(shape);
                    if (family.isEmpty()) continue;
                    if (words.length != 3) throw new IpsetReadBackException(where + "member with options in set " + name + ": " + line);
                    var cidr = Cidr.parseStrict(words[2]).filter(c -> c.family() == family.get())
                            .orElseThrow(() -> new IpsetReadBackException(where + "not a " + family.get().label() + " network in set " + name + ": " + words[2]));
                    members.get(name).add(cidr);
                }
                default -> throw new IpsetReadBackException(where + "not a create or add line: " + line);
            }
        }
        Map<String, KernelSet> owned = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> owned.put(name, new KernelSet(name, shape, members.get(name))));
        return new KernelSets(owned, List.copyOf(foreign), text);
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
}
