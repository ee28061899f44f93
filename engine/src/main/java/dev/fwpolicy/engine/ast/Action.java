package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.vocabulary.Verdict;

/** What a rule does when it matches: a verdict (first match decides) or {@code log} (and go on). */
public enum Action {
    ALLOW("allow"), DENY("deny"), REJECT("reject"), LOG("log");

    private final String keyword;

    Action(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public boolean isTerminal() {
        return this != LOG;
    }

    public static Action of(Verdict v) {
        return valueOf(v.name());
    }
}
