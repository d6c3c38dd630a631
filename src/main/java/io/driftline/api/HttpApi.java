package io.driftline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.config.PipelineSettings;
import io.driftline.state.ModelBundle;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driftline's HTTP API and dashboard (Javalin on Jetty), over HTTP or, given a TLS context, HTTPS
 * only. Started before Kafka Streams, because
 * its address is what the instance advertises to the others for interactive queries; until
 * {@link #serve} hands it the running application, readiness is false and model lookups answer 503.
 *
 * <pre>
 * GET  /health                    200 unless Kafka Streams failed or is shutting down
 * GET  /ready                     200 once Kafka Streams is RUNNING (all tasks restored)
 * GET  /metrics                   Prometheus text format
 * GET  /api/models                every model of the deployment (?local=true: this instance's)
 * GET  /api/models/{key}          one model, from whichever instance holds it
 * GET  /api/models/{key}/versions the model key's versions: when, why, their evaluation, which are restorable
 * POST /api/models/{key}/reset    replaces the model by a new one; bearer token when http.token is set
 * POST /api/models/{key}/promote  {"learner": spec}: the challenger serves from now on; token as reset
 * POST /api/models/{key}/rollback {"version": n}: the kept version serves again; token as reset
 * GET  /api/models/{key}/export   the serving model as a bundle (MOA bytes, features, tree); token as reset
 * POST /api/models/{key}/import   a bundle (the body) seeds or replaces the model; token as reset
 * GET  /api/alerts                the recent alerts
 * POST /api/alerts/{id}/feedback  an operator's verdict on a recent FAILURE_RISK or ANOMALY episode; bearer token
 * GET  /api/devices/{id}          one device: its latest predictions and open failure-risk episodes
 * GET  /api/events                server-sent events: "alert" and "status", recent history first
 * GET  /                          the dashboard
 * </pre>
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** The largest request body: a model bundle's, some MB for an old tree; bounded as a model snapshot is. */
    static final long MAX_BUNDLE_BYTES = 1L << 30;

    private final Javalin server;
    private final SSLContext tls;
    private final ObjectMapper json;
    private final PrometheusMeterRegistry metrics;
    private final LiveFeed feed;
    private final Consumer<ModelCommand> commands;
    private final Function<String, Optional<ObjectNode>> devices;
    private final PipelineSettings settings;
    private final byte[] token;
    private volatile KafkaStreams streams;
    private volatile ModelLookup directory;

    private HttpApi(String host, int port, SSLContext tls, ObjectMapper json, PrometheusMeterRegistry metrics,
                    LiveFeed feed, Consumer<ModelCommand> commands, Function<String, Optional<ObjectNode>> devices,
                    PipelineSettings settings, String token) {
        this.tls = tls;
        this.settings = settings;
        this.json = json;
        this.metrics = metrics;
        this.feed = feed;
        this.commands = commands;
        this.devices = devices;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            // A model bundle holds the model's whole learner.
            config.http.maxRequestSize = MAX_BUNDLE_BYTES;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
            });
            if (tls != null) {
                // The only connector: with one of its own, Javalin adds no plain HTTP connector.
                config.jetty.addConnector((server, http) -> httpsConnector(server, http, host, port, tls));
            }
        });
        routes();
    }

    /**
     * Binds the server to {@code host:port} (port 0: any free port).
     *
     * @param tls      HTTPS with this context's certificate, and no plain HTTP; null: plain HTTP
     * @param token    the bearer token required for write operations, or null for none
     * @param commands where model commands go (the commands topic); returns once they are stored
     * @param devices  one device's view by id ({@link DeviceHistory#device}), empty if unknown
     * @param settings the settings an imported bundle must fit, and the size of the parts it is sent in
     */
    public static HttpApi start(String host, int port, SSLContext tls, String token, PrometheusMeterRegistry metrics,
                                LiveFeed feed, Consumer<ModelCommand> commands,
                                Function<String, Optional<ObjectNode>> devices, PipelineSettings settings) {
        if (token == null && !isLoopback(host)) {
            log.warn("HTTP API on {} accepts model resets without a token: set http.token", host);
        }
        HttpApi api = new HttpApi(host, port, tls, JsonMappers.api(), metrics, feed, commands, devices, settings, token);
        api.server.start(host, port);
        return api;
    }

    private static ServerConnector httpsConnector(Server server, HttpConfiguration http, String host, int port,
                                                  SSLContext tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    /** From now on, answers about {@code streams}, whose models {@code directory} finds. */
    public void serve(KafkaStreams streams, ModelLookup directory) {
        this.directory = directory;
        this.streams = streams;
    }

    private void routes() {
        server.get("/health", ctx -> {
            KafkaStreams.State state = state();
            boolean alive = state == null || !(state == KafkaStreams.State.ERROR
                    || state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_SHUTDOWN);
            ctx.status(alive ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(new Health(alive, String.valueOf(state)));
        });
        server.get("/ready", ctx -> {
            KafkaStreams.State state = state();
            boolean ready = state == KafkaStreams.State.RUNNING;
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(new Health(ready, String.valueOf(state)));
        });
        server.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        server.get("/api/models", ctx -> ctx.json("true".equals(ctx.queryParam("local"))
                ? directory().localModels() : directory().allModels()));
        server.get("/api/models/{key}", ctx -> {
            String key = ctx.pathParam("key");
            if ("true".equals(ctx.queryParam("local"))) {
                directory().local(key).ifPresentOrElse(ctx::json, () -> notFound(ctx, key));
            } else {
                directory().find(key).ifPresentOrElse(body -> ctx.contentType("application/json").result(body),
                        () -> notFound(ctx, key));
            }
        });
        server.get("/api/models/{key}/versions", ctx -> {
            String key = ctx.pathParam("key");
            Optional<String> model = directory().find(key);
            if (model.isEmpty()) {
                notFound(ctx, key);
                return;
            }
            ctx.contentType("application/json").result(json.readTree(model.get()).path("versions").toString());
        });
        server.post("/api/models/{key}/reset", ctx -> modelCommand(ctx, ModelAction.RESET));
        server.post("/api/models/{key}/promote", ctx -> modelCommand(ctx, ModelAction.PROMOTE));
        server.post("/api/models/{key}/rollback", ctx -> modelCommand(ctx, ModelAction.ROLLBACK));
        server.get("/api/models/{key}/export", this::export);
        server.post("/api/models/{key}/import", this::importBundle);
        server.get("/api/alerts", ctx -> ctx.json(feed.recentAlerts()));
        server.post("/api/alerts/{id}/feedback", this::feedback);
        server.get("/api/devices/{id}", ctx -> {
            String id = ctx.pathParam("id");
            devices.apply(id).ifPresentOrElse(device -> ctx.contentType("application/json").result(device.toString()),
                    () -> ctx.status(HttpStatus.NOT_FOUND).json(new Problem("no recent prediction or open episode of device " + id)));
        });
        server.sse("/api/events", client -> {
            Consumer<LiveFeed.Event> send = event -> {
                if (!client.terminated()) {
                    client.sendEvent(event.kind(), event.json().toString());
                }
            };
            client.keepAlive();
            client.onClose(() -> feed.unsubscribe(send));
            feed.subscribe(send).forEach(send);
        });
        server.exception(ModelDirectory.Unavailable.class, (e, ctx) ->
                ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new Problem(e.getMessage())));
    }

    /**
     * Model reset, promotion of a challenger, rollback to a kept version: authorised by the bearer
     * token, carried out by the topology in order with the model's inputs, audited there by a
     * MODEL_RESET, MODEL_PROMOTED or MODEL_ROLLED_BACK alert. A promotion names the challenger's
     * learner spec, a rollback the version; one the model cannot carry out is refused there (logged
     * and counted), since only the model's own stage knows its challengers and kept versions in order.
     */
    private void modelCommand(Context ctx, ModelAction action) {
        authorise(ctx);
        String key = ctx.pathParam("key");
        if (directory().find(key).isEmpty()) {
            // A command never creates a model: a mistyped key must not start one.
            notFound(ctx, key);
            return;
        }
        ModelRequest request = ctx.body().isBlank() ? new ModelRequest(null, null, null, null)
                : ctx.bodyAsClass(ModelRequest.class);
        if (action == ModelAction.PROMOTE && request.learner() == null
                || action == ModelAction.ROLLBACK && request.version() == null) {
            ctx.status(HttpStatus.BAD_REQUEST).json(new Problem(action == ModelAction.PROMOTE
                    ? "name the challenger to promote: {\"learner\": \"<its MOA spec>\"}"
                    : "name the version to serve again: {\"version\": <n>}"));
            return;
        }
        ModelCommand command = ModelCommand.newBuilder()
                .setModelKey(key)
                .setAction(action)
                .setRequestedBy(requestedBy(ctx, request.requestedBy()))
                .setReason(request.reason() == null ? "no reason given" : request.reason())
                .setRequestedAt(Instant.now())
                .setLearner(request.learner())
                .setVersion(request.version())
                .build();
        commands.accept(command);
        log.info("Model {} requested: {}", action, command);
        String confirmation = switch (action) {
            case PROMOTE -> "a MODEL_PROMOTED alert confirms it";
            case ROLLBACK -> "a MODEL_ROLLED_BACK alert confirms it";
            default -> "a MODEL_RESET alert confirms it";
        };
        ctx.status(HttpStatus.ACCEPTED).json(new Accepted(key, action.name().toLowerCase(Locale.ROOT)
                + " requested; " + confirmation));
    }

    /**
     * The model as a bundle ({@link ModelBundle}), from whichever instance holds it (as of its last
     * commit): authorised by the bearer token, since it is the model itself.
     */
    private void export(Context ctx) {
        authorise(ctx);
        String key = ctx.pathParam("key");
        Optional<byte[]> bundle = "true".equals(ctx.queryParam("local"))
                ? directory().localBundle(key).map(ModelBundle::toJson)
                : directory().bundle(key, ctx.header("Authorization"));
        if (bundle.isEmpty()) {
            notFound(ctx, key);
            return;
        }
        ctx.contentType("application/json").header("Content-Disposition", "attachment; filename=\""
                + key.replaceAll("[^A-Za-z0-9._-]", "_") + ".bundle.json\"").result(bundle.get());
    }

    /**
     * A bundle (the request body) seeds the model key, or replaces its model as its next version:
     * authorised by the bearer token, checked here against this deployment's settings and read back
     * (400 with the reason when it does not fit), then carried out by the topology like a reset, in
     * parts no longer than {@code checkpoint.chunk.bytes} (a bundle can be far larger than a Kafka
     * record may be), audited there by a MODEL_IMPORTED alert. Unlike the other commands it may name
     * a model key without a model: seeding one is what it is for.
     */
    private void importBundle(Context ctx) {
        authorise(ctx);
        String key = ctx.pathParam("key");
        ModelBundle bundle;
        try {
            bundle = ModelBundle.fromJson(ctx.bodyAsBytes());
            bundle.toModel(settings);
        } catch (ModelBundle.Refused e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(new Problem(e.getMessage()));
            return;
        }
        String requestedBy = requestedBy(ctx, ctx.queryParam("requestedBy"));
        String reason = ctx.queryParam("reason") == null ? "no reason given" : ctx.queryParam("reason");
        List<ModelCommand> parts = ImportCommands.of(key, bundle, settings.checkpointChunkBytes(), requestedBy, reason,
                Instant.now());
        parts.forEach(commands);
        log.info("Model IMPORT requested into {} by {}: {} of {} version {}, in {} part(s)", key, requestedBy,
                bundle.learner(), bundle.modelKey(), bundle.version(), parts.size());
        ctx.status(HttpStatus.ACCEPTED).json(new Accepted(key, "import requested; a MODEL_IMPORTED alert confirms it"));
    }

    /**
     * An operator's verdict on an alert episode: authorised by the bearer token, carried out by the
     * model's stage (through the commands topic, in order with the model's inputs), audited there as
     * an ALERT_FEEDBACK alert. The episode is looked up among the recent alerts: its model, device,
     * start (the raising alert) and end (the clearing alert, if it came).
     */
    private void feedback(Context ctx) {
        authorise(ctx);
        String id = ctx.pathParam("id");
        FeedbackRequest request = ctx.body().isBlank() ? new FeedbackRequest(null, null, null)
                : ctx.bodyAsClass(FeedbackRequest.class);
        ModelAction action = request.verdict() == null ? null : switch (request.verdict()) {
            case "confirmed" -> ModelAction.CONFIRM;
            case "false-alarm" -> ModelAction.FALSE_ALARM;
            default -> null;
        };
        if (action == null) {
            ctx.status(HttpStatus.BAD_REQUEST).json(new Problem("verdict must be \"confirmed\" or \"false-alarm\""));
            return;
        }
        Optional<AlertEpisode> episode = AlertEpisode.find(feed.recentAlerts(), id);
        if (episode.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(new Problem("no recent FAILURE_RISK or ANOMALY alert " + id));
            return;
        }
        ModelCommand command = ModelCommand.newBuilder()
                .setModelKey(episode.get().modelKey())
                .setAction(action)
                .setRequestedBy(requestedBy(ctx, request.requestedBy()))
                .setReason(request.reason() == null ? "no reason given" : request.reason())
                .setRequestedAt(Instant.now())
                .setAlertId(id)
                .setDeviceId(episode.get().deviceId())
                .setEpisodeStart(episode.get().start())
                .setEpisodeEnd(episode.get().end())
                .build();
        commands.accept(command);
        log.info("Alert feedback: {}", command);
        ctx.status(HttpStatus.ACCEPTED).json(new Accepted(episode.get().modelKey(),
                "feedback recorded; an ALERT_FEEDBACK alert confirms it"));
    }

    private static String requestedBy(Context ctx, String name) {
        return (name == null ? "anonymous" : name) + " from " + ctx.ip();
    }

    /** Write operations need the bearer token when one is set. */
    private void authorise(Context ctx) {
        if (token != null) {
            String header = ctx.header("Authorization");
            if (header == null || !header.startsWith("Bearer ")) {
                throw new UnauthorizedResponse("bearer token required");
            }
            byte[] given = header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, token)) {
                throw new ForbiddenResponse("wrong token");
            }
        }
    }

    private KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? null : current.state();
    }

    private ModelLookup directory() {
        ModelLookup current = directory;
        if (current == null) {
            throw new ModelDirectory.Unavailable("Kafka Streams is not started yet", null);
        }
        return current;
    }

    private static void notFound(Context ctx, String key) {
        ctx.status(HttpStatus.NOT_FOUND).json(new Problem("no model " + key));
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Health and readiness answers. */
    record Health(boolean ok, String streams) {
    }

    /** An error answer. */
    record Problem(String error) {
    }

    /** The body of a reset (optional), promotion (learner) or rollback (version). */
    record ModelRequest(String requestedBy, String reason, String learner, Long version) {
    }

    /** The body of a feedback: verdict "confirmed" or "false-alarm". */
    record FeedbackRequest(String verdict, String requestedBy, String reason) {
    }

    /** A model command accepted for processing. */
    record Accepted(String model, String status) {
    }
}
