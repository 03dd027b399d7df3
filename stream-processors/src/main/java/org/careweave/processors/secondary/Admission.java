package org.careweave.processors.secondary;

import java.util.Set;

import org.careweave.events.PersonView;

/** Whether a person may be on the secondary-use topics now. */
enum Admission {
    PUBLISH,
    RETRACT,
    /** An NHS number of the person's view has no known opt-out status yet: change nothing until it has. */
    HOLD;

    /**
     * Retract when the view is gone (merged away) or any NHS number the person carries is opted out; publish when
     * every one of their NHS numbers is known not to be; otherwise wait. Waiting, rather than publishing, is what
     * keeps a person who opted out before their first record arrived from ever appearing, even for a moment.
     * A person without an NHS number cannot be on the list (it is by NHS number) and is published.
     */
    static Admission of(PersonView candidate, NhsStatuses statuses) {
        if (candidate == null) {
            return RETRACT;
        }
        NhsStatuses known = statuses == null ? NhsStatuses.none() : statuses;
        if (known.anyOptedOut()) {
            return RETRACT;
        }
        Set<String> carried = SecondaryCandidates.nhsNumbers(candidate);
        return carried.stream().allMatch(known::knows) ? PUBLISH : HOLD;
    }
}
