package org.careweave.store.secondary;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;

/** The analyst tables' writes: upserts for records, deletes for tombstones. Each is idempotent. */
final class AnalystRows {

    private AnalystRows() {
    }

    static void upsertPerson(Connection c, SecondaryPerson p) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO analyst_persons (pseudonym, birth_period, sex, postcode_district, death_year, updated_at,
                    deceased)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (pseudonym) DO UPDATE SET
                    birth_period = EXCLUDED.birth_period, sex = EXCLUDED.sex,
                    postcode_district = EXCLUDED.postcode_district, death_year = EXCLUDED.death_year,
                    updated_at = EXCLUDED.updated_at, deceased = EXCLUDED.deceased""")) {
            s.setString(1, p.getPseudonym());
            s.setString(2, p.getBirthPeriod());
            s.setString(3, p.getSex());
            s.setString(4, p.getPostcodeDistrict());
            if (p.getDeathYear() == null) {
                s.setNull(5, Types.INTEGER);
            } else {
                s.setInt(5, p.getDeathYear());
            }
            s.setTimestamp(6, Timestamp.from(p.getUpdatedAt()));
            s.setBoolean(7, p.getDeceased());
            s.executeUpdate();
        }
    }

    /**
     * The person only. Their results go with the tombstones the stream sends for each of them: deleting them here too
     * would be wrong when the two topics are read out of step (a re-admitted person's results read before the
     * earlier retraction of the person would be deleted for good).
     */
    static void deletePerson(Connection c, String pseudonym) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM analyst_persons WHERE pseudonym = ?")) {
            s.setString(1, pseudonym);
            s.executeUpdate();
        }
    }

    static void upsertResult(Connection c, SecondaryResult r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO analyst_results (result_key, pseudonym, code_system, code, code_display, value,
                    numeric_value, units, status, collected_date, sending_facility, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (result_key) DO UPDATE SET
                    pseudonym = EXCLUDED.pseudonym, code_system = EXCLUDED.code_system, code = EXCLUDED.code,
                    code_display = EXCLUDED.code_display, value = EXCLUDED.value,
                    numeric_value = EXCLUDED.numeric_value, units = EXCLUDED.units, status = EXCLUDED.status,
                    collected_date = EXCLUDED.collected_date, sending_facility = EXCLUDED.sending_facility,
                    updated_at = EXCLUDED.updated_at""")) {
            s.setString(1, r.getResultKey());
            s.setString(2, r.getPseudonym());
            s.setString(3, r.getCode().getSystem());
            s.setString(4, r.getCode().getCode());
            s.setString(5, r.getCode().getDisplay());
            s.setString(6, r.getValue());
            if (r.getNumericValue() == null) {
                s.setNull(7, Types.DOUBLE);
            } else {
                s.setDouble(7, r.getNumericValue());
            }
            s.setString(8, r.getUnits());
            s.setString(9, r.getStatus());
            s.setDate(10, r.getCollectedDate() == null ? null : Date.valueOf(r.getCollectedDate()));
            s.setString(11, r.getSendingFacility());
            s.setTimestamp(12, Timestamp.from(r.getUpdatedAt()));
            s.executeUpdate();
        }
    }

    static void deleteResult(Connection c, String resultKey) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM analyst_results WHERE result_key = ?")) {
            s.setString(1, resultKey);
            s.executeUpdate();
        }
    }
}
