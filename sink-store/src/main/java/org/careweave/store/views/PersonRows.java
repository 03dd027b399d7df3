package org.careweave.store.views;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.events.ResultSource;
import org.careweave.events.StatedTime;
import org.careweave.store.Json;
import org.careweave.store.Times;
import org.careweave.store.views.WriteGuard.Live;
import org.careweave.store.views.WriteGuard.Position;
import org.careweave.store.views.WriteGuard.Removed;

/**
 * Persons' rows: the document, identifiers, encounters, results with their sources, redirects, removals. Runs inside
 * the caller's transaction, a batch of persons at a time. A view is the whole truth: after it the person's child rows
 * are exactly the view's, as if replaced wholesale, but only the rows that differ from what is stored are written
 * ({@link RowFingerprints}, {@link RowChanges}).
 */
final class PersonRows {

    private final PersonDocuments documents;

    PersonRows(PersonDocuments documents) {
        this.documents = documents;
    }

    /** What is stored for a person: a live row, a removal, or (when neither) nothing. */
    record Stored(Optional<Live> live, Optional<Removed> removed) {
        static final Stored NOTHING = new Stored(Optional.empty(), Optional.empty());
    }

    /**
     * The final change of one person in a batch: its last applied view ({@code view} not null), or its last applied
     * tombstone with the version the person had ({@code lastVersion}, null when it was never stored live).
     */
    record Change(String personId, PersonView view, Position position, Long lastVersion) {
    }

    /**
     * Reads what is stored for the persons and locks those rows, so that two sinks on one database cannot interleave
     * on a person. Rows are locked in person id order, so that two such sinks wait for each other rather than
     * deadlock.
     */
    Map<String, Stored> lock(Connection c, Collection<String> personIds) throws SQLException {
        Map<String, Optional<Live>> live = new HashMap<>();
        Map<String, Optional<Removed>> removed = new HashMap<>();
        Array ids = c.createArrayOf("text", personIds.toArray());
        try (PreparedStatement s = c.prepareStatement("""
                SELECT person_id, version, kafka_partition, kafka_offset FROM person_view
                WHERE person_id = ANY (?) ORDER BY person_id FOR UPDATE""")) {
            s.setArray(1, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    live.put(rs.getString(1),
                            Optional.of(new Live(rs.getLong(2), new Position(rs.getInt(3), rs.getLong(4)))));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                SELECT person_id, last_version, kafka_partition, kafka_offset FROM person_removed
                WHERE person_id = ANY (?) ORDER BY person_id FOR UPDATE""")) {
            s.setArray(1, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long lastVersion = rs.getLong(2);
                    Long version = rs.wasNull() ? null : lastVersion;
                    removed.put(rs.getString(1),
                            Optional.of(new Removed(version, new Position(rs.getInt(3), rs.getLong(4)))));
                }
            }
        }
        Map<String, Stored> stored = new HashMap<>();
        for (String id : personIds) {
            stored.put(id, new Stored(live.getOrDefault(id, Optional.empty()),
                    removed.getOrDefault(id, Optional.empty())));
        }
        return stored;
    }

    /**
     * Writes each person's final change of a batch (views: document upserted, children that changed rewritten and
     * those no longer listed deleted, removal dropped; tombstones: rows deleted, removal recorded) and the redirect
     * changes of every applied view, in their order.
     * A handful of statements for the whole batch, whatever its size.
     */
    void write(Connection c, Collection<Change> changes, List<PersonView> appliedViews) throws SQLException {
        List<Change> views = new ArrayList<>();
        List<Change> tombstones = new ArrayList<>();
        for (Change change : changes) {
            (change.view() == null ? tombstones : views).add(change);
        }
        // Person id order, as the locks were taken: two sinks on one database then never deadlock on these rows.
        views.sort(Comparator.comparing(Change::personId));
        tombstones.sort(Comparator.comparing(Change::personId));
        if (!tombstones.isEmpty()) {
            remove(c, tombstones);
        }
        if (!views.isEmpty()) {
            List<String> ids = views.stream().map(Change::personId).toList();
            List<PersonDocument> docs = views.stream().map(v -> documents.of(v.view())).toList();
            upsertViews(c, views, docs);
            RowFingerprints fingerprints = new RowFingerprints(documents.zone());
            writeIdentifiers(c, views, ids);
            writeNames(c, views, ids);
            writeEncounters(c, views, ids, fingerprints);
            writeResults(c, views, docs, ids, fingerprints);
            deleteWhereIdIn(c, "DELETE FROM person_removed WHERE person_id = ANY (?)", ids);
        }
        if (!appliedViews.isEmpty()) {
            redirect(c, appliedViews);
        }
    }

    /** Deletes the persons' rows (children cascade) and remembers the removals; redirects to or from them stay. */
    private static void remove(Connection c, List<Change> tombstones) throws SQLException {
        deleteWhereIdIn(c, "DELETE FROM person_view WHERE person_id = ANY (?)",
                tombstones.stream().map(Change::personId).toList());
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO person_removed (person_id, last_version, kafka_partition, kafka_offset)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (person_id) DO UPDATE SET
                    last_version = COALESCE(EXCLUDED.last_version, person_removed.last_version),
                    kafka_partition = EXCLUDED.kafka_partition,
                    kafka_offset = EXCLUDED.kafka_offset""")) {
            for (Change t : tombstones) {
                s.setString(1, t.personId());
                s.setObject(2, t.lastVersion(), Types.BIGINT);
                s.setInt(3, t.position().partition());
                s.setLong(4, t.position().offset());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void upsertViews(Connection c, List<Change> views, List<PersonDocument> documents)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO person_view (person_id, version, kafka_partition, kafka_offset, updated_at, document)
                VALUES (?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (person_id) DO UPDATE SET
                    version = EXCLUDED.version,
                    kafka_partition = EXCLUDED.kafka_partition,
                    kafka_offset = EXCLUDED.kafka_offset,
                    updated_at = EXCLUDED.updated_at,
                    document = EXCLUDED.document,
                    stored_at = now()""")) {
            for (int i = 0; i < views.size(); i++) {
                Change change = views.get(i);
                PersonView view = change.view();
                s.setString(1, view.getPersonId());
                s.setLong(2, view.getVersion());
                s.setInt(3, change.position().partition());
                s.setLong(4, change.position().offset());
                s.setObject(5, utc(view.getUpdatedAt()));
                s.setString(6, Json.write(documents.get(i)));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** An identifier row's key; its other columns are {@link IdentifierColumns}. */
    private record IdentifierKey(String personId, String system, String value) {
    }

    private record IdentifierColumns(String type, boolean valid) {
    }

    /** A result or encounter row's key within the batch: the person and the result id or the encounter's ordinal. */
    private record ChildKey<T>(String personId, T id) {
    }

    /** Leaves identifiers that did not change, deletes those the views no longer list, inserts the new ones. */
    private static void writeIdentifiers(Connection c, List<Change> views, List<String> ids) throws SQLException {
        Map<IdentifierKey, IdentifierColumns> stored = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT person_id, system, value, type, valid FROM person_identifier WHERE person_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.put(new IdentifierKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new IdentifierColumns(rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        Map<IdentifierKey, IdentifierColumns> wanted = new LinkedHashMap<>();
        for (Change change : views) {
            for (Identifier id : change.view().getIdentifiers()) {
                if (!indexable(id.getSystem()) || !indexable(id.getValue())) {
                    continue;
                }
                // A view listing one identifier twice keeps the first listing, as the primary key allows one row.
                wanted.putIfAbsent(new IdentifierKey(change.personId(), id.getSystem(), id.getValue()),
                        new IdentifierColumns(id.getType(), id.getValid()));
            }
        }
        RowChanges<IdentifierKey> changes = RowChanges.between(stored, wanted);
        if (!changes.delete().isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    DELETE FROM person_identifier i
                    USING unnest(?::text[], ?::text[], ?::text[]) AS gone (person_id, system, value)
                    WHERE i.person_id = gone.person_id AND i.system = gone.system AND i.value = gone.value""")) {
                List<IdentifierKey> gone = changes.delete();
                s.setArray(1, c.createArrayOf("text", gone.stream().map(IdentifierKey::personId).toArray()));
                s.setArray(2, c.createArrayOf("text", gone.stream().map(IdentifierKey::system).toArray()));
                s.setArray(3, c.createArrayOf("text", gone.stream().map(IdentifierKey::value).toArray()));
                s.executeUpdate();
            }
        }
        if (changes.insert().isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO person_identifier (system, value, person_id, type, valid) VALUES (?, ?, ?, ?, ?)")) {
            for (IdentifierKey key : changes.insert()) {
                IdentifierColumns columns = wanted.get(key);
                s.setString(1, key.system());
                s.setString(2, key.value());
                s.setString(3, key.personId());
                s.setString(4, columns.type());
                s.setBoolean(5, columns.valid());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** A person_name row: one name, one of its given names ("" for none) and one birth date the view lists. */
    private record NameRow(String personId, String family, String given, LocalDate birthDate) {
    }

    /**
     * The rows the search by demographics reads: every name (the golden one and the other names) with each of its
     * given names, crossed with every birth date (the golden one and the others); a name of several parts (Smith-Jones,
     * Mary Jane) also under each part. Leaves rows that did not change,
     * deletes those the views no longer give, inserts the new ones.
     */
    private static void writeNames(Connection c, List<Change> views, List<String> ids) throws SQLException {
        Map<NameRow, Boolean> stored = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT person_id, family, given, birth_date FROM person_name WHERE person_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.put(new NameRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, LocalDate.class)), Boolean.TRUE);
                }
            }
        }
        Map<NameRow, Boolean> wanted = new LinkedHashMap<>();
        for (Change change : views) {
            PersonView view = change.view();
            List<LocalDate> dates = new ArrayList<>();
            if (view.getBirthDate() != null) {
                dates.add(view.getBirthDate());
            }
            dates.addAll(view.getOtherBirthDates());
            List<HumanName> names = new ArrayList<>();
            if (view.getName() != null) {
                names.add(view.getName());
            }
            names.addAll(view.getOtherNames());
            for (HumanName name : names) {
                if (!searchable(name.getFamily())) {
                    continue;
                }
                List<String> givens = name.getGiven().stream().filter(PersonRows::searchable)
                        .flatMap(g -> NameParts.withParts(g).stream()).distinct().toList();
                // A double-barrelled name is found by each of its parts too (NameParts).
                for (String family : NameParts.withParts(name.getFamily())) {
                    for (String given : givens.isEmpty() ? List.of("") : givens) {
                        for (LocalDate born : dates) {
                            wanted.putIfAbsent(new NameRow(change.personId(), family, given, born), Boolean.TRUE);
                        }
                    }
                }
            }
        }
        RowChanges<NameRow> changes = RowChanges.between(stored, wanted);
        if (!changes.delete().isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    DELETE FROM person_name n
                    USING unnest(?::text[], ?::text[], ?::text[], ?::date[]) AS gone (person_id, family, given, born)
                    WHERE n.person_id = gone.person_id AND n.family = gone.family AND n.given = gone.given
                      AND n.birth_date = gone.born""")) {
                List<NameRow> gone = changes.delete();
                s.setArray(1, c.createArrayOf("text", gone.stream().map(NameRow::personId).toArray()));
                s.setArray(2, c.createArrayOf("text", gone.stream().map(NameRow::family).toArray()));
                s.setArray(3, c.createArrayOf("text", gone.stream().map(NameRow::given).toArray()));
                s.setArray(4, c.createArrayOf("date", gone.stream().map(NameRow::birthDate).toArray()));
                s.executeUpdate();
            }
        }
        if (changes.insert().isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO person_name (person_id, family, given, birth_date) VALUES (?, ?, ?, ?)")) {
            for (NameRow row : changes.insert()) {
                s.setString(1, row.personId());
                s.setString(2, row.family());
                s.setString(3, row.given());
                s.setObject(4, row.birthDate());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Whether a name goes into person_name: not blank, and not so long that it could be no one's name (a garbled
     * message), which would also overflow the primary key's index entry and stop the sink.
     */
    private static boolean searchable(String name) {
        return name != null && !name.isBlank() && indexable(name);
    }

    /**
     * Whether text goes into an indexed column. PostgreSQL refuses an index entry over about 2,700 bytes, and a batch
     * holding one would stop the sink. No name, identifier, code or visit number comes near 200 characters (four
     * bytes each at most, and an index entry holds two such columns): a longer one is from a garbled message. The
     * person's document keeps it as sent; the indexed columns (the identifier lookup, the search by name, a result's
     * code, an encounter's visit) leave it out.
     */
    private static boolean indexable(String text) {
        return text == null || text.length() <= MAX_INDEXED_TEXT;
    }

    private static final int MAX_INDEXED_TEXT = 200;

    /** The code as result_by_code and result_by_source_code can index it: none when its system or code is too long. */
    private static Coding indexable(Coding code) {
        return code == null || !indexable(code.getSystem()) || !indexable(code.getCode()) ? null : code;
    }

    /** The visit as encounter_visit can index it: none when its system or value is too long. */
    private static Identifier indexableVisit(EncounterView e) {
        Identifier visit = e.getVisit();
        return visit == null || !indexable(visit.getSystem()) || !indexable(visit.getValue()) ? null : visit;
    }

    /** Rewrites only the encounters whose content at their position changed; drops positions no longer listed. */
    private static void writeEncounters(Connection c, List<Change> views, List<String> ids,
                                        RowFingerprints fingerprints) throws SQLException {
        Map<ChildKey<Integer>, ByteBuffer> stored = storedFingerprints(c,
                "SELECT person_id, ordinal, fingerprint FROM encounter WHERE person_id = ANY (?)", ids,
                rs -> rs.getInt(2));
        Map<ChildKey<Integer>, ByteBuffer> wanted = new LinkedHashMap<>();
        Map<ChildKey<Integer>, EncounterView> encounters = new HashMap<>();
        for (Change change : views) {
            int ordinal = 0;
            for (EncounterView e : change.view().getEncounters()) {
                ChildKey<Integer> key = new ChildKey<>(change.personId(), ordinal++);
                wanted.put(key, fingerprints.encounter(e));
                encounters.put(key, e);
            }
        }
        RowChanges<ChildKey<Integer>> changes = RowChanges.between(stored, wanted);
        deleteChildren(c, """
                DELETE FROM encounter e USING unnest(?::text[], ?::integer[]) AS gone (person_id, ordinal)
                WHERE e.person_id = gone.person_id AND e.ordinal = gone.ordinal""", changes.delete(), "integer");
        if (changes.insert().isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO encounter (person_id, ordinal, visit_system, visit_value, patient_class, admitted_at,
                                       discharged_at, location, status, sending_facility, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (ChildKey<Integer> key : changes.insert()) {
                EncounterView e = encounters.get(key);
                Identifier visit = indexableVisit(e);
                s.setString(1, key.personId());
                s.setInt(2, key.id());
                s.setString(3, visit == null ? null : visit.getSystem());
                s.setString(4, visit == null ? null : visit.getValue());
                s.setString(5, e.getPatientClass());
                s.setObject(6, utc(e.getAdmittedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setObject(7, utc(e.getDischargedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setString(8, e.getLocation());
                s.setString(9, e.getStatus());
                s.setString(10, e.getSendingFacility());
                s.setBytes(11, bytes(wanted.get(key)));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Rewrites only the results (with their sources) whose content changed, and drops those the views no longer list:
     * a new view usually repeats most of a person's results unchanged.
     */
    private static void writeResults(Connection c, List<Change> views, List<PersonDocument> documents,
                                     List<String> ids, RowFingerprints fingerprints) throws SQLException {
        Map<ChildKey<String>, ByteBuffer> stored = storedFingerprints(c,
                "SELECT person_id, result_id, fingerprint FROM result WHERE person_id = ANY (?)", ids,
                rs -> rs.getString(2));
        Map<ChildKey<String>, ByteBuffer> wanted = new LinkedHashMap<>();
        Map<ChildKey<String>, DeduplicatedResult> results = new HashMap<>();
        Map<ChildKey<String>, PersonDocument.Result> resultDocuments = new HashMap<>();
        for (int v = 0; v < views.size(); v++) {
            String personId = views.get(v).personId();
            List<DeduplicatedResult> list = views.get(v).view().getResults();
            for (int i = 0; i < list.size(); i++) {
                DeduplicatedResult r = list.get(i);
                ChildKey<String> key = new ChildKey<>(personId, r.getResultId());
                // A view listing one result twice is a processor bug; the first listing is kept, once.
                if (results.putIfAbsent(key, r) == null) {
                    wanted.put(key, fingerprints.result(r));
                    resultDocuments.put(key, documents.get(v).results().get(i));
                }
            }
        }
        RowChanges<ChildKey<String>> changes = RowChanges.between(stored, wanted);
        // result_source rows go with their result (ON DELETE CASCADE).
        deleteChildren(c, """
                DELETE FROM result r USING unnest(?::text[], ?::text[]) AS gone (person_id, result_id)
                WHERE r.person_id = gone.person_id AND r.result_id = gone.result_id""", changes.delete(), "text");
        if (changes.insert().isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO result (person_id, result_id, code_system, code, code_display, source_code_system,
                                    source_code, value_type, value, numeric_value, units, reference_range,
                                    abnormal_flags, status, collected_at, collected_offset_seconds,
                                    collected_offset_assumed, collected_local_date, retracted, version_count,
                                    updated_at, document, fingerprint, order_code_system, order_code,
                                    order_display, sub_id, set_id, notes, not_obtained)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?,
                        ?, ?)""");
             PreparedStatement src = c.prepareStatement("""
                INSERT INTO result_source (person_id, result_id, ordinal, sending_facility, control_id,
                                           filler_order_number, placer_order_number, received_at, raw_message_id,
                                           raw_topic, raw_partition, raw_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int sources = 0;
            for (ChildKey<String> key : changes.insert()) {
                DeduplicatedResult r = results.get(key);
                bindResult(c, s, key.personId(), r, Json.write(resultDocuments.get(key)));
                s.setBytes(23, bytes(wanted.get(key)));
                s.addBatch();
                int ordinal = 0;
                for (ResultSource source : r.getSources()) {
                    bindSource(src, key.personId(), r.getResultId(), ordinal++, source);
                    src.addBatch();
                    sources++;
                }
            }
            s.executeBatch();
            if (sources > 0) {
                src.executeBatch();
            }
        }
    }

    /** Deletes child rows by person and child id, given as two arrays ({@code idType} is the id's SQL type). */
    private static void deleteChildren(Connection c, String sql, List<? extends ChildKey<?>> keys, String idType)
            throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", keys.stream().map(ChildKey::personId).toArray()));
            s.setArray(2, c.createArrayOf(idType, keys.stream().map(ChildKey::id).toArray()));
            s.executeUpdate();
        }
    }

    private interface ChildId<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> Map<ChildKey<T>, ByteBuffer> storedFingerprints(Connection c, String sql, List<String> ids,
                                                                       ChildId<T> childId) throws SQLException {
        Map<ChildKey<T>, ByteBuffer> stored = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    byte[] fingerprint = rs.getBytes(3);
                    stored.put(new ChildKey<>(rs.getString(1), childId.read(rs)),
                            fingerprint == null ? null : ByteBuffer.wrap(fingerprint));
                }
            }
        }
        return stored;
    }

    private static byte[] bytes(ByteBuffer fingerprint) {
        byte[] bytes = new byte[fingerprint.remaining()];
        fingerprint.duplicate().get(bytes);
        return bytes;
    }

    private static void bindResult(Connection c, PreparedStatement s, String personId, DeduplicatedResult r,
                                   String document) throws SQLException {
        // A code too long to index is left out of the columns (the document keeps it): V8 lets code be null.
        Coding code = indexable(r.getCode());
        Coding sourceCode = indexable(r.getSourceCode());
        StatedTime collected = r.getCollectedAt();
        OffsetDateTime collectedLocal = collected == null ? null : Times.offsetDateTime(collected);
        s.setString(1, personId);
        s.setString(2, r.getResultId());
        s.setString(3, code == null ? null : code.getSystem());
        s.setString(4, code == null ? null : code.getCode());
        s.setString(5, r.getCode().getDisplay());
        s.setString(6, sourceCode == null ? null : sourceCode.getSystem());
        s.setString(7, sourceCode == null ? null : sourceCode.getCode());
        s.setString(8, r.getValueType());
        s.setString(9, r.getValue());
        s.setObject(10, r.getNumericValue(), Types.DOUBLE);
        s.setString(11, r.getUnits());
        s.setString(12, r.getReferenceRange());
        s.setArray(13, c.createArrayOf("text", r.getAbnormalFlags().toArray()));
        s.setString(14, r.getStatus());
        s.setObject(15, collectedLocal, Types.TIMESTAMP_WITH_TIMEZONE);
        s.setObject(16, collected == null ? null : collected.getOffsetSeconds(), Types.INTEGER);
        s.setObject(17, collected == null ? null : collected.getOffsetAssumed(), Types.BOOLEAN);
        s.setObject(18, collectedLocal == null ? null : collectedLocal.toLocalDate(), Types.DATE);
        s.setBoolean(19, r.getRetracted());
        s.setInt(20, r.getVersionCount());
        s.setObject(21, utc(r.getUpdatedAt()));
        s.setString(22, document);
        Coding order = r.getOrderCode();
        s.setString(24, order == null ? null : order.getSystem());
        s.setString(25, order == null ? null : order.getCode());
        s.setString(26, order == null ? null : order.getDisplay());
        s.setString(27, r.getSubId());
        s.setInt(28, r.getSetId());
        s.setArray(29, c.createArrayOf("text", r.getNotes().toArray()));
        s.setBoolean(30, r.getNotObtained());
    }

    private static void bindSource(PreparedStatement s, String personId, String resultId, int ordinal,
                                   ResultSource source) throws SQLException {
        s.setString(1, personId);
        s.setString(2, resultId);
        s.setInt(3, ordinal);
        s.setString(4, source.getSendingFacility());
        s.setString(5, source.getControlId());
        s.setString(6, source.getFillerOrderNumber());
        s.setString(7, source.getPlacerOrderNumber());
        s.setObject(8, utc(source.getReceivedAt()));
        s.setString(9, source.getRaw().getMessageId());
        s.setString(10, source.getRaw().getTopic());
        s.setObject(11, source.getRaw().getPartition(), Types.INTEGER);
        s.setObject(12, source.getRaw().getOffset(), Types.BIGINT);
    }

    /** A stored redirect: the survivor a merged person points at, with the survivor's version. */
    private record Redirect(String survivor, long version) {
    }

    /**
     * Points every person merged into a survivor at it, and drops redirects a survivor no longer claims (an unmerge),
     * for each applied view in order. A merged id can be claimed by several survivors in one batch, so the changes are
     * replayed in memory over the locked rows they can touch (those of the batch's survivors and of the ids they
     * list), and only the difference is written: the same end as writing each view's redirects in turn.
     */
    private static void redirect(Connection c, List<PersonView> appliedViews) throws SQLException {
        Set<String> survivors = new TreeSet<>();
        Set<String> listed = new TreeSet<>();
        for (PersonView view : appliedViews) {
            survivors.add(view.getPersonId());
            listed.addAll(view.getMergedPersonIds());
        }
        Map<String, Redirect> before = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT merged_person_id, survivor_person_id, survivor_version FROM person_redirect
                WHERE survivor_person_id = ANY (?) OR merged_person_id = ANY (?)
                ORDER BY merged_person_id FOR UPDATE""")) {
            s.setArray(1, c.createArrayOf("text", survivors.toArray()));
            s.setArray(2, c.createArrayOf("text", listed.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    before.put(rs.getString(1), new Redirect(rs.getString(2), rs.getLong(3)));
                }
            }
        }
        Map<String, Redirect> after = new HashMap<>(before);
        for (PersonView view : appliedViews) {
            String survivor = view.getPersonId();
            Set<String> merged = new LinkedHashSet<>(view.getMergedPersonIds());
            merged.remove(survivor);
            after.entrySet().removeIf(e -> e.getValue().survivor().equals(survivor) && !merged.contains(e.getKey()));
            for (String id : merged) {
                after.put(id, new Redirect(survivor, view.getVersion()));
            }
        }
        List<String> dropped = before.keySet().stream().filter(id -> !after.containsKey(id)).sorted().toList();
        if (!dropped.isEmpty()) {
            deleteWhereIdIn(c, "DELETE FROM person_redirect WHERE merged_person_id = ANY (?)", dropped);
        }
        List<String> changed = after.keySet().stream().filter(id -> !after.get(id).equals(before.get(id))).sorted()
                .toList();
        if (changed.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO person_redirect (merged_person_id, survivor_person_id, survivor_version) VALUES (?, ?, ?)
                ON CONFLICT (merged_person_id) DO UPDATE SET
                    survivor_person_id = EXCLUDED.survivor_person_id,
                    survivor_version = EXCLUDED.survivor_version""")) {
            for (String id : changed) {
                Redirect r = after.get(id);
                s.setString(1, id);
                s.setString(2, r.survivor());
                s.setLong(3, r.version());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void deleteWhereIdIn(Connection c, String sql, List<String> personIds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", personIds.toArray()));
            s.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
