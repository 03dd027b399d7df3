package org.careweave.store.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows to delete and the rows to insert to turn what is stored into what is wanted, each row named by its key
 * and compared by a value that stands for its whole content (a fingerprint, or the row's non-key columns).
 *
 * <p>A row that is wanted and stored with the same value is left alone; one whose value differs is deleted and
 * inserted again; one stored but not wanted is deleted; one wanted but not stored is inserted. Writing these gives
 * exactly the rows of deleting everything and inserting what is wanted, with far less written when little changed.
 *
 * @param delete keys to delete, in the stored map's order
 * @param insert keys to insert, in the wanted map's order
 */
record RowChanges<K>(List<K> delete, List<K> insert) {

    RowChanges {
        delete = List.copyOf(delete);
        insert = List.copyOf(insert);
    }

    static <K, V> RowChanges<K> between(Map<K, V> stored, Map<K, V> wanted) {
        List<K> delete = new ArrayList<>();
        List<K> insert = new ArrayList<>();
        stored.forEach((key, value) -> {
            // A stored value of null (a row written before fingerprints existed) never equals a wanted one.
            if (value == null || !Objects.equals(value, wanted.get(key))) {
                delete.add(key);
            }
        });
        wanted.forEach((key, value) -> {
            V old = stored.get(key);
            if (old == null || !old.equals(value)) {
                insert.add(key);
            }
        });
        return new RowChanges<>(delete, insert);
    }
}
