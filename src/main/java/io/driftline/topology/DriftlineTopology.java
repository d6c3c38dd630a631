package io.driftline.topology;

import io.driftline.avro.Alert;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.ModelScope;
import io.driftline.learn.ModelSettings;
import io.driftline.state.ModelStoreBuilder;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Driftline's Kafka Streams topology, top to bottom. Two sub-topologies joined by one repartition:
 * the device stage decodes and validates readings (keyed by device id); the model stage, keyed by
 * model key so that each model sees its readings in order, predicts, trains and detects drift.
 * {@code topology/} at the repository root holds {@link Topology#describe()} of this class; a test
 * keeps the two equal.
 */
public final class DriftlineTopology {

    /** The model store: live MOA models per model key, checkpointed on commit. */
    public static final String MODEL_STORE = "models";
    /** Name of the repartition topic suffix between the device and the model stage. */
    static final String BY_MODEL_KEY = "readings-by-model-key";

    /** The changelog must accept large trees; see the model store's size notes in docs. */
    public static final int MAX_MODEL_BYTES = 8 * 1024 * 1024;

    private DriftlineTopology() {
    }

    public static Topology build(Topics topics, ModelScope scope, Set<String> machineTypes, ModelSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();

        // Decode and validate every reading; what fails goes to the dead-letter topic, unchanged.
        KStream<String, Decoded> decoded = builder
                .stream(topics.rawReadings().name(), topics.rawReadings().consumed())
                .process(() -> new ReadingDecoder(topics.readings().valueSerde().deserializer(),
                        machineTypes, Set.copyOf(settings.classes())), Named.as("decode-readings"));
        Map<String, KStream<String, Decoded>> outcome = decoded.split(Named.as("readings-"))
                .branch((deviceId, value) -> value instanceof DeadLetter, Branched.as("invalid"))
                .defaultBranch(Branched.as("valid"));
        outcome.get("readings-invalid")
                .map((key, value) -> KeyValue.pair(((DeadLetter) value).key(), ((DeadLetter) value).value()),
                        Named.as("dead-letter-bytes"))
                .to(topics.deadLetters().name(), topics.deadLetters().produced());

        // Route each reading to its model: one model trains on its readings in input order.
        KStream<String, SensorReading> byModel = outcome.get("readings-valid")
                .mapValues(value -> ((ValidReading) value).reading(), Named.as("valid-reading"))
                .selectKey((deviceId, reading) -> scope.modelKey(deviceId, reading.getMachineType()),
                        Named.as("model-key"))
                .repartition(Repartitioned.with(Serdes.String(), topics.readings().valueSerde())
                        .withName(BY_MODEL_KEY));

        // Test then train, per model; predictions and alerts come out in one stream.
        builder.addStateStore(new ModelStoreBuilder(MODEL_STORE)
                .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_MODEL_BYTES))));
        KStream<String, SpecificRecord> results = byModel
                .process(() -> new ModelProcessor(MODEL_STORE, settings), Named.as("test-then-train"), MODEL_STORE);

        // Publish each result on its own topic.
        results.split(Named.as("results-"))
                .branch((key, value) -> value instanceof Prediction, Branched.withConsumer(predictions -> predictions
                        .mapValues(value -> (Prediction) value, Named.as("as-prediction"))
                        .to(topics.predictions().name(), topics.predictions().produced()), "predictions"))
                .branch((key, value) -> value instanceof Alert, Branched.withConsumer(alerts -> alerts
                        .mapValues(value -> (Alert) value, Named.as("as-alert"))
                        .to(topics.alerts().name(), topics.alerts().produced()), "alerts"))
                .noDefaultBranch();

        return builder.build();
    }
}
