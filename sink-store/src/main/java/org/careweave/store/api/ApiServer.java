package org.careweave.store.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.careweave.store.Json;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.audit.AuditEntry;
import org.careweave.store.audit.AuditLog;
import org.careweave.store.auth.Authenticator;
import org.careweave.store.auth.Caller;
import org.careweave.store.auth.Role;
import org.careweave.store.db.SqlErrors;
import org.careweave.store.db.StoreDatabase;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.health.HealthChecks;
import org.careweave.store.health.HealthReport;
import org.careweave.store.reviews.DecisionSender;
import org.eclipse.jetty.server.ConnectionLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The query API over the store: person search and views, results, the "before you order" check, health, metrics and
 * the OpenAPI document, as JSON over HTTP (Javalin on Jetty).
 *
 * <p>Access: person endpoints need a bearer token of role {@code clinician} or {@code admin} ({@code analyst} is
 * refused with 403); the identity review queue and {@code /metrics} need {@code admin}; {@code /health} and
 * {@code /api/openapi.json} are open (no patient data, no secrets). Every answer of a person or review endpoint is
 * audited in the same transaction as its read, before it is sent. Nothing about requests is logged beyond route and
 * status counts.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String OPENAPI_RESOURCE = "/org/careweave/store/api/openapi.json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** Roles that may read person-identifiable records. */
    private static final List<Role> PERSON_READERS = List.of(Role.CLINICIAN, Role.ADMIN);
    /**
     * Roles that may work the identity review queue (it decides who is whom) and read who accessed a record: the
     * administrators.
     */
    private static final List<Role> ADMINS = List.of(Role.ADMIN);
    /** Retry-After of a 503 for a database that did not answer: about the pool's wait for a connection. */
    static final int RETRY_AFTER_SECONDS = 5;
    /** How long a decision may wait for Kafka before the API answers 503. */
    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(30);

    private final Javalin app;
    private final StoreDatabase database;
    private final Authenticator authenticator;
    private final PersonEndpoints persons;
    private final ReviewEndpoints reviews;
    private final DecisionSender decisions;
    private final HealthReport health;
    private final List<HealthCheck> healthChecks;
    private final ExecutorService healthExecutor;
    private final PrometheusMeterRegistry metrics;
    private final String openApiDocument;
    private final String host;
    private final String scheme;

    private ApiServer(ApiConfig config, StoreDatabase database, Authenticator authenticator,
                      RetestIntervals retestIntervals, DecisionSender decisions, List<HealthCheck> healthChecks,
                      PrometheusMeterRegistry metrics, Clock clock) {
        this.database = database;
        this.authenticator = authenticator;
        this.persons = new PersonEndpoints(retestIntervals, clock);
        this.decisions = decisions;
        this.reviews = new ReviewEndpoints(decisions, clock);
        this.healthExecutor = Executors.newCachedThreadPool(daemonThreads());
        List<HealthCheck> all = new ArrayList<>();
        all.add(HealthChecks.database(database.dataSource()));
        all.addAll(healthChecks);
        this.healthChecks = List.copyOf(all);
        this.health = new HealthReport(this.healthChecks, config.healthTimeout(), healthExecutor);
        this.metrics = metrics;
        this.openApiDocument = readOpenApi();
        this.host = config.host();
        this.scheme = config.tls().isPresent() ? "https" : "http";
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            // Each connection holds a file descriptor of a process that needs them for Kafka and the database (and,
            // embedded, the broker's log files): past the limit Jetty stops accepting, and callers wait in the
            // kernel's backlog instead of taking the process's last descriptors.
            cfg.jetty.modifyServer(server -> server.addBean(new ConnectionLimit(config.maxConnections(), server)));
            // With a connector of its own, Javalin adds no plain HTTP one: HTTPS only, never both.
            config.tls().ifPresent(tls -> cfg.jetty.addConnector((server, http) ->
                    ApiTls.connector(server, http, tls, config.host(), config.port())));
            if (!config.corsOrigins().isEmpty()) {
                // Bearer tokens, not cookies: no credentials mode. An app reads ETag to ask for a view again with
                // If-None-Match, and Location and WWW-Authenticate to follow a merge and a refused token.
                cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    config.corsOrigins().forEach(rule::allowHost);
                    rule.exposeHeader("ETag");
                    rule.exposeHeader("Location");
                    rule.exposeHeader("WWW-Authenticate");
                }));
            }
        });
        routes();
    }

    /**
     * Opens (and migrates) the store database and starts listening on {@code api.host:api.port}.
     *
     * @param healthChecks components to report besides the database, e.g. {@link HealthChecks#platform}, the sink's
     *                     {@code healthCheck()} and the processors'; those that are {@link AutoCloseable} are closed
     *                     with the server
     */
    public static ApiServer start(ApiConfig config, StoreEndpoints endpoints, String topicPrefix,
                                  RetestIntervals retestIntervals, List<HealthCheck> healthChecks,
                                  PrometheusMeterRegistry metrics) {
        return start(config, endpoints, topicPrefix, retestIntervals, healthChecks, metrics, Clock.systemUTC());
    }

    /** @param topicPrefix of the deployment's topics: review decisions go to {@code <prefix>identity.decisions} */
    static ApiServer start(ApiConfig config, StoreEndpoints endpoints, String topicPrefix,
                           RetestIntervals retestIntervals, List<HealthCheck> healthChecks,
                           PrometheusMeterRegistry metrics, Clock clock) {
        Authenticator authenticator;
        try {
            authenticator = Authenticator.from(config.tokensFile(), config.adminTokenFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the API's tokens", e);
        }
        StoreDatabase database = StoreDatabase.open(endpoints, config.databasePoolSize(), "careweave-api",
                StoreDatabase.Plans.CACHED);
        DecisionSender decisions = null;
        try {
            decisions = new DecisionSender(endpoints, topicPrefix, DECISION_TIMEOUT);
            ApiServer server = new ApiServer(config, database, authenticator, retestIntervals, decisions,
                    healthChecks, metrics, clock);
            server.app.start(config.host(), config.port());
            log.info("Query API listening on {}", server.baseUri());
            return server;
        } catch (RuntimeException e) {
            if (decisions != null) {
                decisions.close();
            }
            database.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public URI baseUri() {
        String address = host.contains(":") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + address + ":" + port());
    }

    @Override
    public void close() {
        app.stop();
        healthExecutor.shutdownNow();
        for (HealthCheck check : healthChecks) {
            if (check instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("Closing health check {} failed: {}", check.name(), e.getClass().getSimpleName());
                }
            }
        }
        decisions.close();
        database.close();
    }

    private void routes() {
        app.before(ctx -> {
            // Patient data must not linger in caches or be sniffed into something else.
            ctx.header("Cache-Control", "no-store");
            ctx.header("X-Content-Type-Options", "nosniff");
        });
        app.get(Routes.SEARCH, timed(Routes.SEARCH, personRoute(Routes.SEARCH, persons::search)));
        app.get(Routes.PERSON, timed(Routes.PERSON, personRoute(Routes.PERSON, persons::person)));
        app.get(Routes.RESULTS, timed(Routes.RESULTS, personRoute(Routes.RESULTS, persons::results)));
        app.get(Routes.RECENT_TESTS, timed(Routes.RECENT_TESTS, personRoute(Routes.RECENT_TESTS,
                persons::recentTests)));
        app.get(Routes.AUDIT, timed(Routes.AUDIT, auditedRoute(Routes.AUDIT, ADMINS,
                "read who accessed a record", (c, ctx, caller) -> persons.audit(c, ctx))));
        app.get(Routes.REVIEWS, timed(Routes.REVIEWS, auditedRoute(Routes.REVIEWS, ADMINS,
                "work the identity review queue", reviews::list)));
        app.post(Routes.REVIEW_DECISION, timed(Routes.REVIEW_DECISION, auditedRoute(Routes.REVIEW_DECISION,
                ADMINS, "work the identity review queue", reviews::decide)));
        app.post(Routes.SEPARATIONS, timed(Routes.SEPARATIONS, auditedRoute(Routes.SEPARATIONS, ADMINS,
                "separate records", reviews::separate)));
        app.post(Routes.LINKS, timed(Routes.LINKS, auditedRoute(Routes.LINKS, ADMINS, "link records",
                reviews::link)));
        app.get(Routes.OPENAPI, timed(Routes.OPENAPI, ctx -> ctx.contentType(Reply.JSON).result(openApiDocument)));
        app.get(Routes.HEALTH, timed(Routes.HEALTH, this::health));
        app.get(Routes.METRICS, timed(Routes.METRICS, this::metrics));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            Problem problem = switch (e.getStatus()) {
                case 404 -> Problem.notFound("No such endpoint; see /api/openapi.json.");
                case 405 -> Problem.methodNotAllowed("Not served with this method; see /api/openapi.json.");
                default -> Problem.of("http-" + e.getStatus(), "HTTP " + e.getStatus(), e.getStatus(), null);
            };
            send(ctx, problem);
        });
        app.exception(Exception.class, (e, ctx) -> answerFailure(ctx, "Request", e));
    }

    @FunctionalInterface
    private interface PersonHandler {
        Reply handle(Connection c, Context ctx) throws SQLException;
    }

    @FunctionalInterface
    private interface AuditedHandler {
        Reply handle(Connection c, Context ctx, Caller caller) throws SQLException;
    }

    private Handler personRoute(String route, PersonHandler handler) {
        return auditedRoute(route, PERSON_READERS, "read person-identifiable records",
                (c, ctx, caller) -> handler.handle(c, ctx));
    }

    /**
     * Authenticates, checks the role, reads and writes the audit rows in one transaction, commits, and only then
     * answers: no person data leaves without its audit row. What an answer does (a decision sent to identity) is done
     * only after its audit rows are committed, so that nothing takes effect without them; when it cannot be done, that
     * answer (503) is audited in turn and given instead.
     */
    private Handler auditedRoute(String route, List<Role> allowed, String refused, AuditedHandler handler) {
        String endpoint = Routes.endpoint(route);
        return ctx -> {
            Caller caller = authenticate(ctx);
            String personId = ctx.pathParamMap().get("personId");
            // An id no record can have is audited as naming no one: the audit table could not hold it (RequestChecks).
            String pathPerson = personId == null || RequestChecks.couldBeAnId(personId) ? personId : null;
            try (Connection c = database.dataSource().getConnection()) {
                c.setAutoCommit(false);
                Reply reply;
                if (!allowed.contains(caller.role())) {
                    reply = Reply.problem(Problem.forbidden("Role " + caller.role().id() + " may not " + refused
                            + "."), pathPerson);
                } else {
                    try {
                        RequestChecks.check(ctx);
                        reply = handler.handle(c, ctx, caller);
                    } catch (ApiProblem p) {
                        reply = Reply.problem(p.problem(), pathPerson);
                    }
                }
                audit(c, caller, endpoint, ctx, reply);
                if (reply.afterAudit() != null) {
                    try {
                        reply.afterAudit().run();
                    } catch (ApiProblem p) {
                        reply = Reply.problem(p.problem(), reply.auditedPersonIds());
                        audit(c, caller, endpoint, ctx, reply);
                    }
                }
                reply.headers().forEach(ctx::header);
                ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
            }
        };
    }

    /** Writes and commits the answer's audit rows, one per person it concerns. */
    private static void audit(Connection c, Caller caller, String endpoint, Context ctx, Reply reply)
            throws SQLException {
        List<AuditEntry> audit = new ArrayList<>();
        for (String audited : reply.auditedPersonIds()) {
            audit.add(new AuditEntry(caller, audited, endpoint, ctx.queryString(), reply.status(), ctx.ip()));
        }
        AuditLog.write(c, audit);
        c.commit();
    }

    private Caller authenticate(Context ctx) {
        Authenticator.Result result = authenticator.authenticate(ctx.header("Authorization"));
        if (result instanceof Authenticator.Authenticated authenticated) {
            return authenticated.caller();
        }
        if (result instanceof Authenticator.Invalid invalid) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"careweave\", error=\"invalid_token\"");
            throw new ApiProblem(Problem.unauthorized(invalid.why() + "."));
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"careweave\"");
        throw new ApiProblem(Problem.unauthorized("A bearer token is required (Authorization: Bearer <token>)."));
    }

    private void health(Context ctx) {
        HealthReport.Report report = health.run();
        ctx.status(report.up() ? 200 : 503).contentType(Reply.JSON).result(Json.write(report));
    }

    private void metrics(Context ctx) {
        Caller caller = authenticate(ctx);
        if (caller.role() != Role.ADMIN) {
            throw new ApiProblem(Problem.forbidden("Metrics are for role admin."));
        }
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }

    /** Counts and times every answer by route and status; answers problems the handler raised. */
    private Handler timed(String route, Handler handler) {
        return ctx -> {
            long start = System.nanoTime();
            try {
                handler.handle(ctx);
            } catch (ApiProblem p) {
                send(ctx, p.problem());
            } catch (Exception e) {
                answerFailure(ctx, Routes.endpoint(route), e);
            } finally {
                Timer.builder("careweave.api.requests").tag("route", route)
                        .tag("status", Integer.toString(ctx.statusCode())).register(metrics)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    /**
     * A database that does not answer is 503 with a time to retry after: the request was fine, and an app should try
     * again rather than report a fault (nothing was read, nor audited). Anything else is 500.
     */
    private static void answerFailure(Context ctx, String what, Exception e) {
        if (SqlErrors.unreachable(e)) {
            log.warn("{} answered 503, the database did not answer: {}", what, SqlErrors.describe(e));
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            send(ctx, Problem.unavailable("The database did not answer; nothing was read. Try again in a few"
                    + " seconds."));
            return;
        }
        log.error("{} failed: {}", what, SqlErrors.describe(e));
        send(ctx, Problem.internal());
    }

    private static void send(Context ctx, Problem problem) {
        ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(problem.toJson());
    }

    private static String readOpenApi() {
        try (InputStream in = ApiServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI document missing from the classpath: " + OPENAPI_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            Thread t = new Thread(runnable, "careweave-api-health");
            t.setDaemon(true);
            return t;
        };
    }
}
