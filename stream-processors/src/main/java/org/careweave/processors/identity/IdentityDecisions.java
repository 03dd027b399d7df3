package org.careweave.processors.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;

/**
 * What processing one patient event decided: links to publish, persons whose golden record changed, reviews, and
 * review pairs it answered.
 */
public final class IdentityDecisions {

    private final List<IdentityLink> links = new ArrayList<>();
    private final Set<String> changedPersons = new LinkedHashSet<>();
    private final List<IdentityReview> reviews = new ArrayList<>();
    private final List<Answered> answered = new ArrayList<>();

    void link(IdentityLink link) {
        links.add(link);
    }

    void changed(String personId) {
        changedPersons.add(personId);
    }

    void review(IdentityReview review) {
        reviews.add(review);
    }

    /**
     * A review pair that this event's own statements answered (as the same person), if it is open: its id, its two
     * sides as raised, and what answered it (the settled review's evidence).
     */
    public record Answered(String pairId, String left, String right, String by) {
    }

    void answered(Answered pair) {
        answered.add(pair);
    }

    public List<Answered> answered() {
        return answered;
    }

    public List<IdentityLink> links() {
        return links;
    }

    public Set<String> changedPersons() {
        return changedPersons;
    }

    public List<IdentityReview> reviews() {
        return reviews;
    }
}
