package dev.fwpolicy.engine.vocabulary;

/**
 * Conntrack state of the packet being asked about. Only the distinction the compiler can
 * express matters: {@code established} rules match RELATED,ESTABLISHED; everything else is NEW.
 */
public enum ConnState {
    NEW("new"), ESTABLISHED("established");

    private final String keyword;

    ConnState(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
