package dev.fwpolicy.engine.vocabulary;

/** What a deciding rule or a default does with a packet. */
public enum Verdict {
    ALLOW("allow"), DENY("deny"), REJECT("reject");

    private final String keyword;

    Verdict(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
