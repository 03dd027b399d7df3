package org.careweave.ingest.hl7;

import java.util.List;
import java.util.Optional;

/** A message's segments in the order they came, looked up by name. */
public interface Hl7Segments {

    Optional<Hl7Fields> first(String name);

    List<Hl7Fields> all(String name);

    /** Every segment after MSH, in the order sent (MSH is read with {@link MshReader}). */
    List<Hl7Fields> segments();
}
