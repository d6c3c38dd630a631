package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.sim.MoaReplay;
import io.driftline.tls.TestCertificates;
import io.driftline.topology.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scale-out: two Driftline instances (child JVMs, one standby replica each) share four partitions;
 * one is killed with SIGKILL mid-stream and the other takes over its tasks. Afterwards every
 * reading has exactly one prediction, and each device's predictions are exactly those of its own
 * model run uninterrupted (one model per device, so the expectation does not depend on how the
 * partitions interleave). While both run, and after one is gone, interactive queries through either
 * instance's HTTP API find every model on the instance that holds it; the APIs serve HTTPS with
 * certificates of a CA of the test's own, so queries are forwarded between instances over TLS.
 * The kill is placed by the predictions committed (a random point between a fifth and a half of
 * the stream; before, it came whenever the API checks were done, possibly after the last reading),
 * and the test checks that it struck mid-stream.
 */
class ScaleOutIT {

    private static final String STREAM = "ConceptDriftStream -s (generators.SEAGenerator -f 1) "
            + "-d (generators.SEAGenerator -f 3) -p 40000 -w 1";
    private static final int READINGS = 80_000;
    private static final int DEVICES = 8;
    private static final String API_LINE = "HTTP API and dashboard: ";
    private static HttpClient http;
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldHandTheKilledInstancesWorkToTheOtherWithNothingLostOrDuplicated() throws Exception {
        Path dir = Files.createTempDirectory(environment.dir, "scale-out");
        MoaStreams.Source header = MoaStreams.open(STREAM);
        Map<String, Object> settings = new HashMap<>();
        settings.put(DriftlineConfig.APPLICATION_ID, "driftline-scale-out-" + UUID.randomUUID());
        settings.put(DriftlineConfig.MODEL_SCOPE, "device");
        settings.put(DriftlineConfig.MACHINE_TYPES, "L");
        settings.put(DriftlineConfig.CLASSES, String.join(",", header.classes()));
        settings.put(DriftlineConfig.POSITIVE_CLASS, header.classes().get(1));
        settings.put(DriftlineConfig.FEATURES, DriftlineConfig.featureSpec(header.features()));
        settings.put(DriftlineConfig.FEATURE_WINDOW, "*:0");
        settings.put(DriftlineConfig.ADAPTATION, "none");
        settings.put(DriftlineConfig.NUM_STANDBY_REPLICAS, "1");
        // The APIs over HTTPS, with certificates of a CA of the test's own: queries are forwarded over TLS.
        TestCertificates certificates = TestCertificates.create(Files.createDirectories(dir.resolve("tls")));
        settings.put(DriftlineConfig.HTTP_SSL_KEYSTORE_LOCATION, certificates.serverKeyStore().location().toString());
        settings.put(DriftlineConfig.HTTP_SSL_KEYSTORE_PASSWORD, TestCertificates.PASSWORD);
        settings.put(DriftlineConfig.HTTP_SSL_KEYSTORE_TYPE, "PKCS12");
        settings.put(DriftlineConfig.HTTP_SSL_TRUSTSTORE_LOCATION, certificates.trustStore().location().toString());
        settings.put(DriftlineConfig.HTTP_SSL_TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD);
        settings.put(DriftlineConfig.HTTP_SSL_TRUSTSTORE_TYPE, "PKCS12");
        http = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();
        DriftlineConfig config = new DriftlineConfig(settings);
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 4, (short) 1, Duration.ofSeconds(60));
        // A tenth first, so that every model exists while both instances answer; the rest before the kill.
        MoaReplay replay = Replays.replay(STREAM, READINGS, DEVICES);
        Replays.publish(infrastructure, topics, replay, READINGS / 10);
        long seed = System.nanoTime();
        long target = READINGS / 5 + new Random(seed).nextInt(READINGS * 3 / 10);

        Process first = environment.startDriftline(config.with(Map.of(DriftlineConfig.DATA_DIR,
                dir.resolve("first").toString())), dir, "first");
        Process second = environment.startDriftline(config.with(Map.of(DriftlineConfig.DATA_DIR,
                dir.resolve("second").toString())), dir, "second");
        List<Prediction> predictions;
        long atKill;
        try {
            String firstApi = apiOf(dir.resolve("first.err"));
            String secondApi = apiOf(dir.resolve("second.err"));
            Map<String, String> ownerSeenByFirst = owners(firstApi, 2);
            assertThat(ownerSeenByFirst.values()).as("both instances hold models").hasSize(DEVICES)
                    .containsOnly(hostOf(firstApi), hostOf(secondApi)).contains(hostOf(firstApi), hostOf(secondApi));
            for (String device : ownerSeenByFirst.keySet()) {
                // Each instance answers for every model, forwarding to the owner when it is not itself.
                assertThat(model(firstApi, device).get("instance").asText()).isEqualTo(ownerSeenByFirst.get(device));
                assertThat(model(secondApi, device).get("instance").asText()).isEqualTo(ownerSeenByFirst.get(device));
            }
            Replays.publish(infrastructure, topics, replay, READINGS - READINGS / 10);
            try (CommittedCount committed = new CommittedCount(infrastructure, topics.predictions().name())) {
                // The kill strikes when a random share of a fifth to a half of the predictions is committed.
                committed.awaitAtLeast(target, Duration.ofMinutes(3));
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                atKill = committed.now();
            }
            Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
            // Until the group notices the killed member (session timeout), lookups of its models fail with 503.
            assertThat(owners(secondApi, 1).values()).containsOnly(hostOf(secondApi));
            for (String device : ownerSeenByFirst.keySet()) {
                JsonNode model = model(secondApi, device);
                assertThat(model.get("instance").asText()).isEqualTo(hostOf(secondApi));
                assertThat(model.at("/state/readingsSeen").asLong()).isEqualTo(READINGS / DEVICES);
            }
        } finally {
            first.destroyForcibly();
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }

        String logs = "logs in " + dir;
        assertThat(atKill).as("predictions committed when the first instance was killed (seed %d): it struck "
                + "mid-stream; %s", seed, logs).isBetween(READINGS / 10L, READINGS * 9 / 10L);
        assertThat(predictions).as(logs).hasSize(READINGS);
        Map<String, List<String>> byDevice = new TreeMap<>();
        predictions.forEach(p -> byDevice.computeIfAbsent(p.getDeviceId(), d -> new ArrayList<>())
                .add(p.getSequence() + ":" + p.getPredictedClass() + "@" + p.getFailureProbability()));
        assertThat(byDevice).as(logs).isEqualTo(uninterrupted(config));
    }

    /** The HTTP API of the instance whose stderr is {@code err}, once it answers for all models. */
    private static String apiOf(Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Optional<String> line = Files.exists(err) ? Files.readAllLines(err).stream()
                    .filter(l -> l.startsWith(API_LINE)).findFirst() : Optional.empty();
            if (line.isPresent()) {
                return line.get().substring(API_LINE.length()).trim();
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("no HTTP API address in " + err);
    }

    private static String hostOf(String api) {
        return URI.create(api).getAuthority();
    }

    /**
     * Model key to the instance holding it, as {@code api} lists them, once every model is listed and
     * the number of instances holding them is as expected (retried while instances join, leave and rebalance).
     */
    private static Map<String, String> owners(String api, int instances) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Map<String, String> owners = Map.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(api + "api/models");
            if (response.statusCode() == 200) {
                owners = new TreeMap<>();
                for (JsonNode model : JSON.readTree(response.body())) {
                    owners.put(model.get("model").asText(), model.get("instance").asText());
                }
                if (owners.size() == DEVICES && new HashSet<>(owners.values()).size() == instances) {
                    return owners;
                }
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return owners;
    }

    private static JsonNode model(String api, String key) throws Exception {
        HttpResponse<String> response = get(api + "api/models/" + key);
        assertThat(response.statusCode()).as("GET %s: %s", key, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Each device's own model over its own readings, in order. */
    private static Map<String, List<String>> uninterrupted(DriftlineConfig config) {
        MoaStreams.Source source = MoaStreams.open(STREAM);
        Map<String, OnlineModel> models = new HashMap<>();
        Map<String, List<String>> byDevice = new TreeMap<>();
        for (int i = 0; i < READINGS; i++) {
            LabelledObservation next = source.next();
            String device = "device-" + (i % DEVICES);
            OnlineModel model = models.computeIfAbsent(device, d -> OnlineModel.create(config.modelSettings()));
            Scored scored = model.predict(next.observation());
            model.learn(next.observation(), next.label(), scored);
            List<String> predictions = byDevice.computeIfAbsent(device, d -> new ArrayList<>());
            predictions.add((predictions.size() + 1) + ":" + scored.predictedClass() + "@" + scored.positiveProbability());
        }
        return byDevice;
    }
}
