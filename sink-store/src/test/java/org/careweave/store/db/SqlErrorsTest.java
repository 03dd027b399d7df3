package org.careweave.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void dataTheDatabaseRefusesIsToldFromADatabaseThatFailed() {
        assertThat(SqlErrors.refusedData(new SQLException("nul", "22021"))).isTrue();
        assertThat(SqlErrors.refusedData(new SQLException("unique", "23505"))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("batch", "54000", new int[0]);
        batch.setNextException(new SQLException("index row size", "54000"));
        assertThat(SqlErrors.refusedData(batch)).isTrue();
        assertThat(SqlErrors.refusedData(new RuntimeException(new SQLException("out of range", "22008")))).isTrue();

        assertThat(SqlErrors.refusedData(new SQLException("lost", "08006"))).isFalse();
        assertThat(SqlErrors.refusedData(new SQLException("deadlock", "40P01"))).isFalse();
        assertThat(SqlErrors.refusedData(new SQLException("disk full", "53100"))).isFalse();
        assertThat(SqlErrors.refusedData(new SQLException("shutting down", "57P01"))).isFalse();
        assertThat(SqlErrors.refusedData(new SQLException("statement too complex", "54001"))).isFalse();
        assertThat(SqlErrors.refusedData(new SQLTransientConnectionException("pool timeout"))).isFalse();
        assertThat(SqlErrors.refusedData(new IllegalStateException("no SQL"))).isFalse();
    }
}
