package dev.fwpolicy.engine.ast;

/** Which way a packet crosses the pod's network namespace, and the built-in chain that sees it. */
public enum Direction {
    INBOUND("inbound", "INPUT", "I", "-i"),
    OUTBOUND("outbound", "OUTPUT", "O", "-o");

    private final String keyword;
    private final String builtinChain;
    private final String letter;
    private final String interfaceFlag;

    Direction(String keyword, String builtinChain, String letter, String interfaceFlag) {
        this.keyword = keyword;
        this.builtinChain = builtinChain;
        this.letter = letter;
        this.interfaceFlag = interfaceFlag;
    }

    public String keyword() {
        return keyword;
    }

    /** INPUT or OUTPUT. */
    public String builtinChain() {
        return builtinChain;
    }

    /** "I" or "O", used in the names of fwpolicy's own chains. */
    public String letter() {
        return letter;
    }

    /** {@code -i} for inbound, {@code -o} for outbound: how the loopback interface is matched. */
    public String interfaceFlag() {
        return interfaceFlag;
    }
}
