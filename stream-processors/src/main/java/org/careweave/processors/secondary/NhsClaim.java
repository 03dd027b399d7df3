package org.careweave.processors.secondary;

/** A person's view carries this NHS number: the person's publication depends on its opt-out. Internal state. */
record NhsClaim(String personId, String nhsNumber) {

    /** Unique per person and number: two persons may carry one NHS number while a merge settles. */
    String key() {
        return personId + "|" + nhsNumber;
    }
}
