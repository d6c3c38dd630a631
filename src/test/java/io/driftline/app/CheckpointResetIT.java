package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.micrometer.core.instrument.Counter;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.RecordPublisher;
import io.driftline.state.CheckpointCodec;
import io.driftline.topology.DriftlineTopology;
import io.driftline.topology.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The policy for checkpoints that cannot be read (e.g. written by an incompatible MOA or Driftline
 * version), end to end on a real broker: unreadable model and device checkpoints are planted in the
 * changelogs, as an older or newer version would have left them, and the local state is deleted.
 * Restoring them does not stop the application (restoration copies bytes; they are decoded when a
 * model is first used); each affected model starts afresh with one MODEL_RESET alert and then
 * predicts exactly as a new model on the same readings; each affected device starts afresh,
 * counted; the other model and device continue untouched.
 */
class CheckpointResetIT {

    private static final String STREAM = "generators.SEAGenerator -f 2";
    private static final int DEVICES = 3;
    private static final int FIRST_RUN = 3000;
    private static final int SECOND_RUN = 1500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldResetModelsAndDevicesWhoseCheckpointsCannotBeReadAndLeaveTheOthersUntouched() throws Exception {
        Path dataDir = Files.createTempDirectory(environment.dir, "reset");
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR,
                dataDir.toString())), MoaStreams.open(STREAM), "trees.HoeffdingTree", "reset")
                .with(Map.of(DriftlineConfig.MODEL_SCOPE, "device"));
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        MoaReplay readings = new MoaReplay(MoaStreams.open(STREAM), FIRST_RUN + SECOND_RUN, DEVICES, "L",
                clock::incrementAndGet);

        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            assertThat(service.awaitRunning(TIMEOUT)).isTrue();
            publish(infrastructure, topics, readings, FIRST_RUN);
            assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), FIRST_RUN)).hasSize(FIRST_RUN);
        }

        // device-1's checkpoints are of a format version this Driftline does not know; device-2's
        // model checkpoint holds an object of another class, and so does its device checkpoint.
        String application = config.getString(DriftlineConfig.APPLICATION_ID);
        byte[] unknownVersion = {42, 1, 2, 3};
        byte[] otherClass = CheckpointCodec.encode(new ArrayList<>(List.of("not a model")));
        plant(infrastructure, changelog(application, DriftlineTopology.MODEL_STORE), Map.of(
                "device-1", unknownVersion, "device-2", otherClass));
        plant(infrastructure, changelog(application, DriftlineTopology.DEVICE_STORE), Map.of(
                "device-1", unknownVersion, "device-2", otherClass));
        Utils.delete(dataDir.resolve("streams").toFile());

        try (DriftlineService service = DriftlineService.start(config.with(Map.of(DriftlineConfig.HTTP_PORT, "0")),
                infrastructure)) {
            assertThat(service.awaitRunning(TIMEOUT)).as("restored the unreadable checkpoints and runs").isTrue();
            // Before any input meets them, the model list names every model, the unreadable ones with why.
            HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    service.httpUrl("127.0.0.1").orElseThrow() + "api/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).isEqualTo(200);
            JsonNode listed = new ObjectMapper().readTree(models.body());
            assertThat(listed).hasSize(DEVICES);
            assertThat(listed).filteredOn(model -> !model.get("error").isNull())
                    .extracting(model -> model.get("model").asText()).containsExactlyInAnyOrder("device-1", "device-2");
            // A maintenance event meets device-2's unreadable state first, then readings meet device-1's.
            publishMaintenance(infrastructure, topics, "device-2", clock.incrementAndGet());
            awaitResets(service, DriftlineTopology.DEVICE_STORE, 1);
            publish(infrastructure, topics, readings, SECOND_RUN);
            List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(),
                    FIRST_RUN + SECOND_RUN);
            List<Alert> resets = Evaluation.readCommitted(infrastructure, topics.alerts(), -1).stream()
                    .filter(alert -> alert.getKind() == AlertKind.MODEL_RESET)
                    .toList();

            assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(resets).extracting(Alert::getModelKey).containsExactlyInAnyOrder("device-1", "device-2");
            assertThat(resets).allSatisfy(alert -> assertThat(alert.getEventTime())
                    .isAfter(Instant.ofEpochMilli(1_700_000_000_000L + FIRST_RUN)));
            assertThat(resets(service, DriftlineTopology.MODEL_STORE)).isEqualTo(2);
            assertThat(resets(service, DriftlineTopology.DEVICE_STORE)).isEqualTo(2);

            Map<String, List<String>> expected = expectedPredictions(config);
            Map<String, List<String>> actual = new LinkedHashMap<>();
            predictions.forEach(p -> actual.computeIfAbsent(p.getDeviceId(), device -> new ArrayList<>())
                    .add(p.getModelVersion() + ":" + p.getPredictedClass() + "@" + p.getFailureProbability()));
            assertThat(actual.keySet()).containsExactlyInAnyOrder("device-0", "device-1", "device-2");
            actual.forEach((device, list) -> assertThat(list).as(device).containsExactlyElementsOf(expected.get(device)));
        }
    }

    /**
     * What each device's model predicts, with its version: device-0's model runs uninterrupted;
     * device-1's and device-2's are replaced by new models at the restart.
     */
    private static Map<String, List<String>> expectedPredictions(DriftlineConfig config) {
        MoaStreams.Source source = MoaStreams.open(STREAM);
        Map<String, OnlineModel> models = new HashMap<>();
        Map<String, List<String>> predictions = new HashMap<>();
        for (int i = 0; i < FIRST_RUN + SECOND_RUN; i++) {
            if (i == FIRST_RUN) {
                models.remove("device-1");
                models.remove("device-2");
            }
            String device = "device-" + (i % DEVICES);
            OnlineModel model = models.computeIfAbsent(device, d -> OnlineModel.create(config.modelSettings()));
            LabelledObservation next = source.next();
            Scored scored = model.predict(next.observation());
            predictions.computeIfAbsent(device, d -> new ArrayList<>())
                    .add(scored.modelVersion() + ":" + scored.predictedClass() + "@" + scored.positiveProbability());
            model.learn(next.observation(), next.label(), scored);
        }
        return predictions;
    }

    private static String changelog(String application, String store) {
        return application + "-" + store + "-changelog";
    }

    /** Writes raw checkpoint records, as another Driftline version would have, to a store's changelog. */
    private static void plant(Infrastructure infrastructure, String changelog, Map<String, byte[]> records)
            throws Exception {
        Map<String, Object> settings = new HashMap<>(infrastructure.clientSettings());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> record : records.entrySet()) {
                producer.send(new ProducerRecord<>(changelog, record.getKey().getBytes(StandardCharsets.UTF_8),
                        record.getValue())).get();
            }
        }
    }

    private static void publish(Infrastructure infrastructure, Topics topics, MoaReplay readings, int count) {
        try (RecordPublisher<String, SensorReading> publisher =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0)) {
            for (int i = 0; i < count; i++) {
                SensorReading reading = readings.next();
                publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
            }
        }
    }

    private static void publishMaintenance(Infrastructure infrastructure, Topics topics, String device, long time) {
        try (RecordPublisher<String, MaintenanceEvent> publisher =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.maintenance(), 0)) {
            publisher.publish(device, MaintenanceEvent.newBuilder().setDeviceId(device)
                    .setKind(MaintenanceKind.INSPECTION).setEventTime(Instant.ofEpochMilli(time)).build(), time);
        }
    }

    private static void awaitResets(DriftlineService service, String store, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (resets(service, store) < expected) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + resets(service, store) + " resets of " + store);
            }
            Thread.sleep(100);
        }
    }

    /** {@code driftline_checkpoint_resets_total} of {@code store}. */
    private static long resets(DriftlineService service, String store) {
        Counter resets = service.meters().find("driftline.checkpoint.resets").tag("store", store).counter();
        return resets == null ? 0 : Math.round(resets.count());
    }
}
