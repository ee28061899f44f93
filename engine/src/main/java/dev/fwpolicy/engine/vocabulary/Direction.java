package dev.fwpolicy.engine.vocabulary;

/** Which way a packet crosses the pod's network namespace. */
public enum Direction {
    INBOUND("inbound"),
    OUTBOUND("outbound");

    private final String keyword;

    Direction(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
