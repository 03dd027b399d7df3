package org.careweave.processors.secondary;

/** Whether one NHS number a person carries is on the opt-out list. Internal state. */
record NhsStatus(String personId, String nhsNumber, boolean optedOut) {
}
