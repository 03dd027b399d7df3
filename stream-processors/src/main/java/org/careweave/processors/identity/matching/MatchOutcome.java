package org.careweave.processors.identity.matching;

/** What to do with a compared pair, from most to least certain that the two records are one person. */
public enum MatchOutcome {
    LINK, REVIEW, NO_LINK;

    boolean isMoreCertainThan(MatchOutcome other) {
        return ordinal() < other.ordinal();
    }
}
