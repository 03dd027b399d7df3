package org.careweave.processors.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;

/** What processing one patient event decided: links to publish, persons whose golden record changed, reviews. */
public final class IdentityDecisions {

    private final List<IdentityLink> links = new ArrayList<>();
    private final Set<String> changedPersons = new LinkedHashSet<>();
    private final List<IdentityReview> reviews = new ArrayList<>();

    void link(IdentityLink link) {
        links.add(link);
    }

    void changed(String personId) {
        changedPersons.add(personId);
    }

    void review(IdentityReview review) {
        reviews.add(review);
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
