package org.careweave.store.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.careweave.store.Json;
import org.careweave.store.auth.Authenticator;
import org.careweave.store.auth.Role;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.health.HealthReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code /health} and {@code /metrics} for a component that serves no API of its own (ingest, processors, sink), so
 * that every careweave process can be probed and scraped the same way as the API: same port setting, same health
 * report, metrics for the admin role.
 */
public final class OperationsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperationsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;
    private final ExecutorService healthExecutor;

    private final String scheme;
    private final String host;

    private OperationsServer(Javalin app, ExecutorService healthExecutor, String scheme, String host) {
        this.app = app;
        this.healthExecutor = healthExecutor;
        this.scheme = scheme;
        this.host = host;
    }

    public static OperationsServer start(ApiConfig config, List<HealthCheck> checks,
                                         PrometheusMeterRegistry metrics) {
        Authenticator authenticator;
        try {
            authenticator = Authenticator.from(config.tokensFile(), config.adminTokenFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the tokens for /metrics", e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "careweave-health");
            t.setDaemon(true);
            return t;
        });
        HealthReport health = new HealthReport(checks, config.healthTimeout(), executor);
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            // /metrics takes the admin token, which may read every record: over HTTPS whenever the API would be,
            // on the same terms (TLS only, no plain listener beside it; ApiServer does the same).
            config.tls().ifPresent(tls -> cfg.jetty.addConnector((server, http) ->
                    ApiTls.connector(server, http, tls, config.host(), config.port())));
        });
        app.get(Routes.HEALTH, ctx -> {
            HealthReport.Report report = health.run();
            ctx.header("Cache-Control", "no-store");
            ctx.status(report.up() ? 200 : 503).contentType(Reply.JSON).result(Json.write(report));
        });
        app.get(Routes.METRICS, ctx -> metrics(ctx, authenticator, metrics));
        app.start(config.host(), config.port());
        String scheme = config.tls().isPresent() ? "https" : "http";
        log.info("Health and metrics on {}://{}:{}/", scheme, config.host(), app.port());
        return new OperationsServer(app, executor, scheme, config.host());
    }

    private static void metrics(Context ctx, Authenticator authenticator, PrometheusMeterRegistry metrics) {
        Authenticator.Result result = authenticator.authenticate(ctx.header("Authorization"));
        Problem problem = null;
        if (!(result instanceof Authenticator.Authenticated authenticated)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"careweave\"");
            problem = Problem.unauthorized("A valid bearer token of role admin is required.");
        } else if (authenticated.caller().role() != Role.ADMIN) {
            problem = Problem.forbidden("Metrics are for role admin.");
        }
        if (problem != null) {
            ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(problem.toJson());
            return;
        }
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }

    public int port() {
        return app.port();
    }

    /** {@code https://...} when {@code api.tls.key.store} is set, as for the API. */
    public URI baseUri() {
        String address = host.contains(":") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + address + ":" + port());
    }

    @Override
    public void close() {
        app.stop();
        healthExecutor.shutdownNow();
    }
}
