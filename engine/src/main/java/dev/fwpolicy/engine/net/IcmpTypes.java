package dev.fwpolicy.engine.net;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** ICMP and ICMPv6 type names accepted in policies, and the numbers iptables-save prints. */
public final class IcmpTypes {
    private static final Map<String, Integer> V4 = new LinkedHashMap<>();
    private static final Map<String, Integer> V6 = new LinkedHashMap<>();

    static {
        V4.put("echo-reply", 0);
        V4.put("destination-unreachable", 3);
        V4.put("source-quench", 4);
        V4.put("redirect", 5);
        V4.put("echo-request", 8);
        V4.put("router-advertisement", 9);
        V4.put("router-solicitation", 10);
        V4.put("time-exceeded", 11);
        V4.put("parameter-problem", 12);
        V4.put("timestamp-request", 13);
        V4.put("timestamp-reply", 14);
        V6.put("destination-unreachable", 1);
        V6.put("packet-too-big", 2);
        V6.put("time-exceeded", 3);
        V6.put("parameter-problem", 4);
        V6.put("echo-request", 128);
        V6.put("echo-reply", 129);
        V6.put("router-solicitation", 133);
        V6.put("router-advertisement", 134);
        V6.put("neighbor-solicitation", 135);
        V6.put("neighbor-advertisement", 136);
        V6.put("redirect", 137);
    }

    private IcmpTypes() {}

    public static Map<String, Integer> names(Protocol protocol) {
        return protocol == Protocol.ICMPV6 ? V6 : V4;
    }

    /** A type name or a decimal number 0–255. */
    public static Optional<Integer> lookup(Protocol protocol, String nameOrNumber) {
        if (!nameOrNumber.isEmpty() && nameOrNumber.chars().allMatch(Character::isDigit)) {
            if (nameOrNumber.length() > 3) return Optional.empty();
            int n = Integer.parseInt(nameOrNumber);
            return n <= 255 ? Optional.of(n) : Optional.empty();
        }
        return Optional.ofNullable(names(protocol).get(nameOrNumber));
    }

    /** The name for a number, for explanations; the number itself when it has none. */
    public static String name(Protocol protocol, int type) {
        for (var e : names(protocol).entrySet()) if (e.getValue() == type) return e.getKey();
        return Integer.toString(type);
    }
}
