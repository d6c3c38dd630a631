package io.driftline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.config.DriftlineConfig;
import io.driftline.topology.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP API on its own (no Kafka Streams yet): probes, metrics, and who may reset a model. */
class HttpApiTest {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ModelCommand> sent = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private LiveFeed feed;
    private HttpApi api;

    private String start(String token) {
        DriftlineConfig config = new DriftlineConfig(Map.of());
        // Never started: these tests do not read the alert stream.
        feed = new LiveFeed(Map.of("bootstrap.servers", "127.0.0.1:1"),
                Topics.from(config, config.registryClientSettings("mock://http-api-test")));
        api = HttpApi.start("127.0.0.1", 0, token, meters, feed, sent::add,
                id -> id.equals("known") ? Optional.of(JsonNodeFactory.instance.objectNode().put("deviceId", id)) : Optional.empty());
        return "http://127.0.0.1:" + api.port();
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
        String base = start("s3cret-token");
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
        String base = start(null);
        assertThat(reset(base, null).statusCode()).isEqualTo(202);
        assertThat(sent).hasSize(1);
    }

    private HttpResponse<String> reset(String base, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/models/L/reset"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"requestedBy\":\"alice\",\"reason\":\"recalibrated\"}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
