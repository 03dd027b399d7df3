package org.careweave.processors.identity;

import java.util.List;

/**
 * A person in the master patient index: which source records belong to them and which NHS numbers they carry.
 *
 * @param sequence   order of creation; the older person survives when two are merged without an A40 saying which
 * @param mergedInto set once this person has been merged into another; such a person has no source records
 * @param mergedFrom the persons merged into this one
 */
public record Person(String personId, long sequence, List<String> sourceKeys, List<String> nhsNumbers,
                     String mergedInto, List<String> mergedFrom, long version) {

    public Person {
        mergedFrom = mergedFrom == null ? List.of() : mergedFrom;
    }
}
