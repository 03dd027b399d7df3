package org.careweave.store.views;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
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
 * One person's rows: the document, identifiers, encounters, results with their sources, redirects. Runs inside the
 * caller's transaction; a view replaces the person's child rows wholesale, because a view is the whole truth.
 */
final class PersonRows {

    private final PersonDocuments documents;

    PersonRows(PersonDocuments documents) {
        this.documents = documents;
    }

    /** Locks the person's row (if any) so that two sinks on one database cannot interleave on a person. */
    Optional<Live> live(Connection c, String personId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT version, kafka_partition, kafka_offset FROM person_view WHERE person_id = ? FOR UPDATE")) {
            s.setString(1, personId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Live(rs.getLong(1), new Position(rs.getInt(2), rs.getLong(3))))
                        : Optional.empty();
            }
        }
    }

    Optional<Removed> removed(Connection c, String personId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT last_version, kafka_partition, kafka_offset FROM person_removed WHERE person_id = ? FOR UPDATE")) {
            s.setString(1, personId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long lastVersion = rs.getLong(1);
                Long version = rs.wasNull() ? null : lastVersion;
                return Optional.of(new Removed(version, new Position(rs.getInt(2), rs.getLong(3))));
            }
        }
    }

    void write(Connection c, PersonView view, Position position) throws SQLException {
        String personId = view.getPersonId();
        PersonDocument document = documents.of(view);
        upsertView(c, view, position, Json.write(document));
        deleteChildren(c, personId);
        insertIdentifiers(c, personId, view.getIdentifiers());
        insertEncounters(c, personId, view.getEncounters());
        insertResults(c, personId, view.getResults(), document.results());
        execute(c, "DELETE FROM person_removed WHERE person_id = ?", personId);
        redirect(c, personId, view.getVersion(), view.getMergedPersonIds());
    }

    /** Deletes the person's rows (children cascade) and remembers the removal; redirects to or from it stay. */
    void remove(Connection c, String personId, Position position, Long lastVersion) throws SQLException {
        execute(c, "DELETE FROM person_view WHERE person_id = ?", personId);
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO person_removed (person_id, last_version, kafka_partition, kafka_offset)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (person_id) DO UPDATE SET
                    last_version = COALESCE(EXCLUDED.last_version, person_removed.last_version),
                    kafka_partition = EXCLUDED.kafka_partition,
                    kafka_offset = EXCLUDED.kafka_offset""")) {
            s.setString(1, personId);
            s.setObject(2, lastVersion, Types.BIGINT);
            s.setInt(3, position.partition());
            s.setLong(4, position.offset());
            s.executeUpdate();
        }
    }

    private static void upsertView(Connection c, PersonView view, Position position, String document)
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
            s.setString(1, view.getPersonId());
            s.setLong(2, view.getVersion());
            s.setInt(3, position.partition());
            s.setLong(4, position.offset());
            s.setObject(5, utc(view.getUpdatedAt()));
            s.setString(6, document);
            s.executeUpdate();
        }
    }

    private static void deleteChildren(Connection c, String personId) throws SQLException {
        // result_source rows go with their result (ON DELETE CASCADE).
        execute(c, "DELETE FROM person_identifier WHERE person_id = ?", personId);
        execute(c, "DELETE FROM encounter WHERE person_id = ?", personId);
        execute(c, "DELETE FROM result WHERE person_id = ?", personId);
    }

    private static void insertIdentifiers(Connection c, String personId, List<Identifier> identifiers)
            throws SQLException {
        if (identifiers.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO person_identifier (system, value, person_id, type, valid) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            for (Identifier id : identifiers) {
                s.setString(1, id.getSystem());
                s.setString(2, id.getValue());
                s.setString(3, personId);
                s.setString(4, id.getType());
                s.setBoolean(5, id.getValid());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void insertEncounters(Connection c, String personId, List<EncounterView> encounters)
            throws SQLException {
        if (encounters.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO encounter (person_id, ordinal, visit_system, visit_value, patient_class, admitted_at,
                                       discharged_at, location, status, sending_facility)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int ordinal = 0;
            for (EncounterView e : encounters) {
                s.setString(1, personId);
                s.setInt(2, ordinal++);
                s.setString(3, e.getVisit() == null ? null : e.getVisit().getSystem());
                s.setString(4, e.getVisit() == null ? null : e.getVisit().getValue());
                s.setString(5, e.getPatientClass());
                s.setObject(6, utc(e.getAdmittedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setObject(7, utc(e.getDischargedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setString(8, e.getLocation());
                s.setString(9, e.getStatus());
                s.setString(10, e.getSendingFacility());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void insertResults(Connection c, String personId, List<DeduplicatedResult> results,
                                      List<PersonDocument.Result> resultDocuments) throws SQLException {
        if (results.isEmpty()) {
            return;
        }
        Set<String> written = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO result (person_id, result_id, code_system, code, code_display, source_code_system,
                                    source_code, value_type, value, numeric_value, units, reference_range,
                                    abnormal_flags, status, collected_at, collected_offset_seconds,
                                    collected_offset_assumed, collected_local_date, retracted, version_count,
                                    updated_at, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (person_id, result_id) DO NOTHING""");
             PreparedStatement src = c.prepareStatement("""
                INSERT INTO result_source (person_id, result_id, ordinal, sending_facility, control_id,
                                           filler_order_number, placer_order_number, received_at, raw_message_id,
                                           raw_topic, raw_partition, raw_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < results.size(); i++) {
                DeduplicatedResult r = results.get(i);
                // A view listing one result twice is a processor bug; the first listing is kept, once.
                if (!written.add(r.getResultId())) {
                    continue;
                }
                bindResult(c, s, personId, r, Json.write(resultDocuments.get(i)));
                s.addBatch();
                int ordinal = 0;
                for (ResultSource source : r.getSources()) {
                    bindSource(src, personId, r.getResultId(), ordinal++, source);
                    src.addBatch();
                }
            }
            s.executeBatch();
            src.executeBatch();
        }
    }

    private static void bindResult(Connection c, PreparedStatement s, String personId, DeduplicatedResult r,
                                   String document) throws SQLException {
        Coding code = r.getCode();
        Coding sourceCode = r.getSourceCode();
        StatedTime collected = r.getCollectedAt();
        OffsetDateTime collectedLocal = collected == null ? null : Times.offsetDateTime(collected);
        s.setString(1, personId);
        s.setString(2, r.getResultId());
        s.setString(3, code.getSystem());
        s.setString(4, code.getCode());
        s.setString(5, code.getDisplay());
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

    /**
     * Points every person merged into this one at it, and drops redirects this person no longer claims (an unmerge).
     */
    private static void redirect(Connection c, String survivor, long version, List<String> mergedPersonIds)
            throws SQLException {
        List<String> merged = mergedPersonIds.stream().filter(id -> !id.equals(survivor)).distinct().toList();
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM person_redirect WHERE survivor_person_id = ? AND NOT (merged_person_id = ANY (?))")) {
            s.setString(1, survivor);
            s.setArray(2, c.createArrayOf("text", merged.toArray()));
            s.executeUpdate();
        }
        if (merged.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO person_redirect (merged_person_id, survivor_person_id, survivor_version) VALUES (?, ?, ?)
                ON CONFLICT (merged_person_id) DO UPDATE SET
                    survivor_person_id = EXCLUDED.survivor_person_id,
                    survivor_version = EXCLUDED.survivor_version""")) {
            for (String id : merged) {
                s.setString(1, id);
                s.setString(2, survivor);
                s.setLong(3, version);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void execute(Connection c, String sql, String personId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, personId);
            s.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
