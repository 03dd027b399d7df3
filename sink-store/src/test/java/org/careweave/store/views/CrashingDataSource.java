package org.careweave.store.views;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * Drops the database connection at chosen points, as a crash of the sink's process would: before a statement runs,
 * before a commit, or just after a commit (so that the sink does not know its batch was stored). The gap between two
 * crashes is random (seeded), so over a run crashes land between all kinds of statements.
 */
final class CrashingDataSource implements DataSource {

    private final DataSource delegate;
    private final Random random;
    private final int maxGap;
    private final int crashes;
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger operations = new AtomicInteger();
    private volatile int nextCrashAt;

    CrashingDataSource(DataSource delegate, long seed, int maxGap, int crashes) {
        this.delegate = delegate;
        this.random = new Random(seed);
        this.maxGap = maxGap;
        this.crashes = crashes;
        this.nextCrashAt = 1 + random.nextInt(maxGap);
    }

    int injected() {
        return injected.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection real) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("commit")) {
                if (due()) {
                    if (random.nextBoolean()) {
                        crash(real);
                    }
                    invoke(real, method, args);
                    crash(real);
                }
            }
            Object result = invoke(real, method, args);
            if (result instanceof PreparedStatement statement) {
                return wrapStatement(real, statement, PreparedStatement.class);
            }
            if (result instanceof Statement statement) {
                return wrapStatement(real, statement, Statement.class);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private <S extends Statement> S wrapStatement(Connection real, S statement, Class<S> type) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("execute") && due()) {
                crash(real);
            }
            return invoke(statement, method, args);
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
    }

    private synchronized boolean due() {
        if (injected.get() >= crashes) {
            return false;
        }
        if (operations.incrementAndGet() < nextCrashAt) {
            return false;
        }
        nextCrashAt = operations.get() + 1 + random.nextInt(maxGap);
        injected.incrementAndGet();
        return true;
    }

    /** Cuts the connection under the transaction: the server rolls back whatever was not committed. */
    private static void crash(Connection real) throws SQLException {
        real.unwrap(PGConnection.class);
        ((Connection) real.unwrap(PGConnection.class)).abort(Runnable::run);
        throw new SQLException("simulated crash", "08006");
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
