package io.driftline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.config.DriftlineConfig;
import io.driftline.core.TrainedModels;
import io.driftline.state.ModelBundle;
import io.driftline.tls.TestCertificates;
import io.driftline.topology.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on its own (no Kafka Streams yet): probes, metrics, who may reset a model, HTTPS. */
class HttpApiTest {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ModelCommand> sent = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private LiveFeed feed;
    private HttpApi api;

    private String start(String token) {
        return start(token, new DriftlineConfig(Map.of()));
    }

    private String start(String token, DriftlineConfig config) {
        // Never started: these tests do not read the alert stream.
        feed = new LiveFeed(Map.of("bootstrap.servers", "127.0.0.1:1"),
                Topics.from(config, config.registryClientSettings("mock://http-api-test")));
        api = HttpApi.start("127.0.0.1", 0, null, token, meters, feed, sent::add,
                id -> id.equals("known") ? Optional.of(JsonNodeFactory.instance.objectNode().put("deviceId", id)) : Optional.empty(),
                config.pipeline());
        return "http://127.0.0.1:" + api.port();
    }

    /** Started, and answering about a deployment whose only model is L. */
    private String serving(String token) {
        String base = start(token);
        api.serve(null, new OneModel("L"));
        return base;
    }

    @AfterEach
    void stop() {
        api.close();
        feed.close();
    }

    @Test
    void shouldBeAliveButNotReadyUntilKafkaStreamsRuns() throws Exception {
        String base = start(null);
        assertThat(get(base + "/health").statusCode()).isEqualTo(200);
        assertThat(get(base + "/ready").statusCode()).isEqualTo(503);
        HttpResponse<String> models = get(base + "/api/models");
        assertThat(models.statusCode()).isEqualTo(503);
        assertThat(models.body()).contains("\"error\"");
    }

    @Test
    void shouldAnswerADeviceOr404() throws Exception {
        String base = start(null);
        HttpResponse<String> known = get(base + "/api/devices/known");
        assertThat(known.statusCode()).isEqualTo(200);
        assertThat(known.body()).isEqualTo("{\"deviceId\":\"known\"}");
        HttpResponse<String> unknown = get(base + "/api/devices/other");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\"", "device other");
    }

    @Test
    void shouldServeMetricsInPrometheusFormat() throws Exception {
        meters.counter("driftline.readings").increment(3);
        String base = start(null);
        assertThat(get(base + "/metrics").body()).contains("driftline_readings_total 3.0");
    }

    @Test
    void shouldRequireTheBearerTokenForAResetWhenOneIsSet() throws Exception {
        String base = serving("s3cret-token");
        assertThat(reset(base, null).statusCode()).isEqualTo(401);
        assertThat(reset(base, "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(sent).isEmpty();

        HttpResponse<String> accepted = reset(base, "Bearer s3cret-token");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(sent).singleElement().satisfies(command -> {
            assertThat(command.getModelKey()).isEqualTo("L");
            assertThat(command.getAction()).isEqualTo(ModelAction.RESET);
            assertThat(command.getRequestedBy()).isEqualTo("alice from 127.0.0.1");
            assertThat(command.getReason()).isEqualTo("recalibrated");
        });
    }

    @Test
    void shouldAcceptAResetWithoutTokenWhenNoneIsSet() throws Exception {
        String base = serving(null);
        assertThat(reset(base, null).statusCode()).isEqualTo(202);
        assertThat(sent).hasSize(1);
    }

    /** Promotions and rollbacks are commands as resets are, with what they name; the versions come from the model. */
    @Test
    void shouldSendPromotionsAndRollbacksThroughTheCommandsAndListTheVersions() throws Exception {
        String base = serving("s3cret-token");
        assertThat(post(base + "/api/models/L/promote", "{}", "Bearer s3cret-token").statusCode()).isEqualTo(400);
        assertThat(post(base + "/api/models/L/rollback", "{\"version\":2}", null).statusCode()).isEqualTo(401);
        assertThat(post(base + "/api/models/Z/rollback", "{\"version\":2}", "Bearer s3cret-token").statusCode())
                .isEqualTo(404);
        assertThat(sent).isEmpty();

        assertThat(post(base + "/api/models/L/promote", "{\"learner\":\"bayes.NaiveBayes\",\"reason\":\"leads\"}",
                "Bearer s3cret-token").statusCode()).isEqualTo(202);
        assertThat(post(base + "/api/models/L/rollback", "{\"version\":2}", "Bearer s3cret-token").statusCode())
                .isEqualTo(202);
        assertThat(sent).extracting(ModelCommand::getAction, ModelCommand::getLearner, ModelCommand::getVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ModelAction.PROMOTE, "bayes.NaiveBayes", null),
                        org.assertj.core.groups.Tuple.tuple(ModelAction.ROLLBACK, null, 2L));
        assertThat(get(base + "/api/models/L/versions").body()).isEqualTo("[{\"version\":1}]");
        assertThat(get(base + "/api/models/Z/versions").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseToResetAModelThatDoesNotExist() throws Exception {
        String base = serving(null);
        HttpResponse<String> refused = reset(base, "Z", null);
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.body()).contains("no model Z");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldSendFeedbackOnARecentEpisodeWithItsDeviceAndTimesThroughTheCommands() throws Exception {
        String base = serving("s3cret-token");
        feed.alert(alert("FAILURE_RISK:pump-1:40", "FAILURE_RISK", "pump-1", "2026-01-01T10:00:00Z"));
        feed.alert(alert("FAILURE_RISK_CLEARED:pump-2:50", "FAILURE_RISK_CLEARED", "pump-2", "2026-01-01T10:30:00Z"));
        feed.alert(alert("FAILURE_RISK_CLEARED:pump-1:60", "FAILURE_RISK_CLEARED", "pump-1", "2026-01-01T11:00:00Z"));

        String id = "FAILURE_RISK:pump-1:40";
        assertThat(feedback(base, id, "false-alarm", null).statusCode()).isEqualTo(401);
        assertThat(feedback(base, id, "false-alarm", "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(feedback(base, id, "maybe", "Bearer s3cret-token").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = feedback(base, "FAILURE_RISK:pump-9:1", "false-alarm", "Bearer s3cret-token");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no recent FAILURE_RISK or ANOMALY alert");
        // A clearing alert is no episode.
        assertThat(feedback(base, "FAILURE_RISK_CLEARED:pump-1:60", "confirmed", "Bearer s3cret-token").statusCode())
                .isEqualTo(404);
        assertThat(sent).isEmpty();

        assertThat(feedback(base, id, "false-alarm", "Bearer s3cret-token").statusCode()).isEqualTo(202);
        assertThat(sent).singleElement().satisfies(command -> {
            assertThat(command.getModelKey()).isEqualTo("L");
            assertThat(command.getAction()).isEqualTo(ModelAction.FALSE_ALARM);
            assertThat(command.getAlertId()).isEqualTo(id);
            assertThat(command.getDeviceId()).isEqualTo("pump-1");
            assertThat(command.getEpisodeStart()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
            assertThat(command.getEpisodeEnd()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
            assertThat(command.getRequestedBy()).isEqualTo("alice from 127.0.0.1");
        });
    }

    private static ObjectNode alert(String id, String kind, String deviceId, String eventTime) {
        return JsonNodeFactory.instance.objectNode().put("alertId", id).put("kind", kind).put("modelKey", "L")
                .put("deviceId", deviceId).put("eventTime", eventTime);
    }

    private HttpResponse<String> feedback(String base, String id, String verdict, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/alerts/" + id + "/feedback"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"" + verdict
                        + "\",\"requestedBy\":\"alice\",\"reason\":\"bearing replaced\"}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldExportTheOwnersBundleOnlyWithTheToken() throws Exception {
        String base = serving("t0ken");

        assertThat(get(base + "/api/models/L/export").statusCode()).isEqualTo(401);
        HttpResponse<String> export = http.send(HttpRequest.newBuilder(URI.create(base + "/api/models/L/export"))
                .header("Authorization", "Bearer t0ken").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.body()).isEqualTo("{\"format\":1,\"modelKey\":\"L\"}");
        assertThat(export.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"L.bundle.json\"");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/models/other/export"))
                .header("Authorization", "Bearer t0ken").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
    }

    /**
     * A bundle that fits the deployment goes to the commands in parts of checkpoint.chunk.bytes, also for
     * a model key without a model (an import seeds one); one that does not fit is refused with the reason.
     */
    @Test
    void shouldSendACheckedBundleInPartsAndRefuseOneThatDoesNotFit() throws Exception {
        DriftlineConfig config = new DriftlineConfig(Map.of(DriftlineConfig.CHECKPOINT_CHUNK_BYTES, 1024));
        String base = start("t0ken", config);
        api.serve(null, new OneModel("L"));
        ModelBundle bundle = ModelBundle.of("L", TrainedModels.trained(config.pipeline(), "L", 2000), config.pipeline(),
                Instant.now());

        HttpResponse<String> accepted = post(base + "/api/models/new-key/import?requestedBy=alice&reason=seed",
                new String(bundle.toJson(), StandardCharsets.UTF_8), "Bearer t0ken");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).contains("MODEL_IMPORTED");
        assertThat(sent).hasSizeGreaterThan(2).allSatisfy(command -> {
            assertThat(command.getModelKey()).isEqualTo("new-key");
            assertThat(command.getAction()).isEqualTo(ModelAction.IMPORT);
            assertThat(command.getRequestedBy()).startsWith("alice from ");
            assertThat(command.getReason()).isEqualTo("seed");
            assertThat(command.getImportId()).isEqualTo(sent.get(0).getImportId());
            assertThat(command.getParts()).isEqualTo(sent.size());
            assertThat(command.getBundle().remaining()).isLessThanOrEqualTo(1024);
        });
        assertThat(sent).extracting(ModelCommand::getPart).containsExactlyElementsOf(
                IntStream.range(0, sent.size()).boxed().toList());
        ByteArrayOutputStream carried = new ByteArrayOutputStream();
        sent.forEach(command -> {
            byte[] part = new byte[command.getBundle().remaining()];
            command.getBundle().duplicate().get(part);
            carried.writeBytes(part);
        });
        ModelBundle received = ModelBundle.fromJson(carried.toByteArray());
        assertThat(received.tree()).as("the learner is the tree").isNull();
        assertThat(received.model()).isEqualTo(bundle.model());
        assertThat(received.features()).isEqualTo(bundle.features());

        sent.clear();
        DriftlineConfig other = config.with(Map.of(DriftlineConfig.CLASSES, "ok,broken",
                DriftlineConfig.POSITIVE_CLASS, "broken"));
        ModelBundle otherClasses = ModelBundle.of("L", TrainedModels.trained(config.pipeline(), "L", 10),
                other.pipeline(), Instant.now());
        HttpResponse<String> refused = post(base + "/api/models/L/import",
                new String(otherClasses.toJson(), StandardCharsets.UTF_8), "Bearer t0ken");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("its classes [ok, broken] are not this deployment's [normal, failure]");
        HttpResponse<String> garbage = post(base + "/api/models/L/import", "not json", "Bearer t0ken");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("not a model bundle");
        assertThat(post(base + "/api/models/L/import", new String(bundle.toJson(), StandardCharsets.UTF_8), null)
                .statusCode()).isEqualTo(401);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldServeHttpsOnlyWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        DriftlineConfig config = new DriftlineConfig(Map.of(
                DriftlineConfig.HTTP_SSL_KEYSTORE_LOCATION, certificates.serverKeyStore().location().toString(),
                DriftlineConfig.HTTP_SSL_KEYSTORE_PASSWORD, TestCertificates.PASSWORD,
                DriftlineConfig.HTTP_SSL_KEYSTORE_TYPE, "PKCS12"));
        feed = new LiveFeed(Map.of("bootstrap.servers", "127.0.0.1:1"),
                Topics.from(config, config.registryClientSettings("mock://http-api-test")));
        api = HttpApi.start("127.0.0.1", 0, config.httpServerTls(), "t0ken", meters, feed, sent::add, id -> Optional.empty(),
                config.pipeline());
        api.serve(null, new OneModel("L"));
        String base = "https://127.0.0.1:" + api.port();
        HttpClient trusting = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();

        assertThat(api.scheme()).isEqualTo("https");
        assertThat(trusting.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> reset = trusting.send(HttpRequest.newBuilder(URI.create(base + "/api/models/L/reset"))
                .header("Authorization", "Bearer t0ken").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reset.statusCode()).isEqualTo(202);
        assertThat(sent).hasSize(1);
        // The JVM's trust store does not know the test CA, and the port speaks nothing but TLS.
        assertThatThrownBy(() -> get(base + "/health")).isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> get("http://127.0.0.1:" + api.port() + "/health")).isInstanceOf(IOException.class);
        // Forwarded queries trust the JVM's store unless http.ssl.truststore.location says otherwise.
        assertThat(config.httpClientTls()).isNotNull();
        assertThat(new DriftlineConfig(Map.of()).httpClientTls()).isNull();
    }

    private HttpResponse<String> reset(String base, String authorization) throws Exception {
        return reset(base, "L", authorization);
    }

    private HttpResponse<String> reset(String base, String key, String authorization) throws Exception {
        return post(base + "/api/models/" + key + "/reset", "{\"requestedBy\":\"alice\",\"reason\":\"recalibrated\"}",
                authorization);
    }

    private HttpResponse<String> post(String url, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A deployment with one model, {@code key}. */
    private record OneModel(String key) implements ModelLookup {
        @Override
        public Optional<ModelView> local(String model) {
            return Optional.empty();
        }

        @Override
        public List<ModelSummary> localModels() {
            return List.of();
        }

        @Override
        public Optional<String> find(String model) {
            return model.equals(key) ? Optional.of("{\"model\":\"" + key + "\",\"versions\":[{\"version\":1}]}")
                    : Optional.empty();
        }

        @Override
        public List<ModelSummary> allModels() {
            return List.of();
        }

        @Override
        public Optional<ModelBundle> localBundle(String model) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> bundle(String model, String authorization) {
            return model.equals(key) ? Optional.of(("{\"format\":1,\"modelKey\":\"" + key + "\"}")
                    .getBytes(StandardCharsets.UTF_8)) : Optional.empty();
        }
    }
}
