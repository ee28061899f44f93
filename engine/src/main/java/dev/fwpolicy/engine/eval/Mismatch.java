package dev.fwpolicy.engine.eval;

/** Why one rule did not match a flow: the first field (in iptables' match order) that failed. */
public record Mismatch(Field field, String reason) {

    public enum Field { INTERFACE, PROTOCOL, SOURCE, DESTINATION, SOURCE_PORT, DESTINATION_PORT, ICMP_TYPE, STATE }

    @Override
    public String toString() {
        return field.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + reason;
    }
}
