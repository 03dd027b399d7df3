package org.careweave.processors.secondary;

import org.careweave.events.PersonView;

/** A person's minimised view (null when removed) with the opt-out status of their NHS numbers (null when none). */
record Gate(PersonView candidate, NhsStatuses statuses) {
}
