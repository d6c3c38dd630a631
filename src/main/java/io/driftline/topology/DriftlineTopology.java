package io.driftline.topology;

import io.driftline.avro.Alert;
import io.driftline.avro.ModelInput;
import io.driftline.avro.ModelStatus;
import io.driftline.avro.Prediction;
import io.driftline.config.InputOrder;
import io.driftline.config.PipelineSettings;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.CheckpointStoreBuilder;
import io.driftline.state.ImportParts;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.PendingReadings;
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
import org.apache.kafka.streams.state.Stores;

/**
 * Driftline's Kafka Streams topology, top to bottom. Two sub-topologies joined by one repartition:
 * the device stage (keyed by device id) decodes and validates readings and maintenance events and
 * routes both to their device's model; the model stage (keyed by model key, so that each model
 * sees its inputs in order) predicts, labels, trains and detects drift. With per-device models
 * (scope {@code device}) the model key is the device id and both stages run in one sub-topology. {@code topology/} at the
 * repository root holds {@link Topology#describe()} of this class; a test keeps the two equal.
 */
public final class DriftlineTopology {

    /** Live model state per model key, made durable on commit as a snapshot and a journal. */
    public static final String MODEL_STORE = "models";
    /** Live device state (features, pending labels, risk) per device id, checkpointed on commit. */
    public static final String DEVICE_STORE = "devices";

    /**
     * Readings waiting for a delayed label, one entry each, by device id and pending id, kept by time.
     * Named anew when it became a window store: the key-value store "pending-readings" before it has
     * a changelog of records this one could not read (docs/reliability.md, upgrading).
     */
    public static final String PENDING_STORE = "pending-by-time";

    /** Parts of model bundles being imported, by model key and part, until the last part arrives. */
    public static final String IMPORT_STORE = "import-parts";

    private DriftlineTopology() {
    }

    /** The topology without knowledge of the device stage's backlog: idle partitions are told by the wall clock. */
    public static Topology build(Topics topics, PipelineSettings settings, DriftlineMetrics metrics) {
        return build(topics, settings, metrics, InputLag.UNKNOWN);
    }

    /** {@code lag}: when each device-stage partition had nothing left to read, for the progress marks. */
    public static Topology build(Topics topics, PipelineSettings settings, DriftlineMetrics metrics, InputLag lag) {
        StreamsBuilder builder = new StreamsBuilder();
        // Models of several devices get inputs from every device-stage partition: put them in event-time order.
        InputOrder order = settings.inputOrder();

        // Decode and validate both inputs; what fails goes to the dead-letter topic, unchanged.
        KStream<String, Decoded> readings = builder
                .stream(topics.readings().name(), Topics.raw(topics.readings()).consumed())
                .process(() -> InputDecoder.readings(topics.readings().valueSerde().deserializer(),
                        settings.machineTypes(), Set.copyOf(settings.model().classes()), metrics), Named.as("decode-readings"));
        KStream<String, Decoded> maintenance = builder
                .stream(topics.maintenance().name(), Topics.raw(topics.maintenance()).consumed())
                .process(() -> InputDecoder.maintenance(topics.maintenance().valueSerde().deserializer(), metrics),
                        Named.as("decode-maintenance"));
        Map<String, KStream<String, Decoded>> decoded = readings.merge(maintenance, Named.as("device-inputs"))
                .split(Named.as("decoded-"))
                .branch((deviceId, value) -> value instanceof DeadLetter, Branched.as("invalid"))
                .defaultBranch(Branched.as("valid"));
        toDeadLetters(decoded.get("decoded-invalid"), topics, "invalid-input");

        // Route each device's readings and events to its model (a maintenance event needs the
        // device's machine type, remembered from its readings), keeping retries, inputs from the
        // future and late events away from the models; what is refused goes out as it came.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DeviceRouter.DEVICE_TYPES),
                Serdes.String(), DeviceRouter.SERDE).withCachingEnabled());
        Map<String, KStream<String, Routed>> routed = decoded.get("decoded-valid")
                .process(() -> new DeviceRouter(settings.scope(), settings.labels().grace(), settings.maxClockSkew(),
                        order, lag, metrics),
                        Named.as("route-to-model"), DeviceRouter.DEVICE_TYPES)
                .split(Named.as("routed-"))
                .branch((key, value) -> value instanceof DeadLetter, Branched.as("refused"))
                .defaultBranch(Branched.as("to-model"));
        toDeadLetters(routed.get("routed-refused"), topics, "refused-input");

        // Operators' commands (reset, promotion, rollback, import, feedback) join the models' inputs before the
        // repartition, so that each reaches the task that owns its model, in order with the model's readings.
        Map<String, KStream<String, Decoded>> commands = builder
                .stream(topics.commands().name(), Topics.raw(topics.commands()).consumed())
                .process(() -> InputDecoder.commands(topics.commands().valueSerde().deserializer(), metrics),
                        Named.as("decode-commands"))
                .split(Named.as("commands-"))
                .branch((modelKey, value) -> value instanceof DeadLetter, Branched.as("invalid"))
                .defaultBranch(Branched.as("valid"));
        toDeadLetters(commands.get("commands-invalid"), topics, "invalid-command");
        KStream<String, ModelInput> modelInputs = routed.get("routed-to-model")
                .mapValues(value -> ((ToModel) value).input(), Named.as("model-input"))
                .merge(commands.get("commands-valid").mapValues(value -> ModelInput.newBuilder()
                        .setCommand(((ValidCommand) value).command()).build(), Named.as("command-input")),
                        Named.as("model-inputs"));
        // A per-device model's key is its device id, by which its inputs (and, as all topics have the
        // same partition count, its commands) are partitioned already: it needs no repartition, and
        // one stage saves a topic write and a transaction per reading.
        // Progress marks of the device stage go to every partition, so that each model-stage task can
        // hold its inputs until every device-stage partition has passed them.
        KStream<String, ModelInput> byModel = settings.scope().poolsDevices()
                ? modelInputs.repartition(Repartitioned.with(Serdes.String(), topics.modelInputs().valueSerde())
                        .withStreamPartitioner(new ProgressPartitioner()).withName(Topics.MODEL_INPUTS))
                : modelInputs;
        if (order.enabled()) {
            builder.addStateStore(EventTimeOrder.builder());
            byModel = byModel.process(() -> new EventTimeOrder(order, topics.modelInputs().valueSerde(), metrics),
                    Named.as("event-time-order"), EventTimeOrder.STORE);
        }

        // Test, label, train, per model; predictions, alerts and model status come out in one stream.
        // Large checkpoints are chunked, so the changelogs keep the broker's default message size.
        builder.addStateStore(CheckpointStoreBuilder.models(MODEL_STORE, new ModelCheckpoints(settings),
                settings.checkpointChunkBytes(), metrics.modelDurability(MODEL_STORE)));
        builder.addStateStore(CheckpointStoreBuilder.whole(DEVICE_STORE,
                CheckpointCodec.deviceStates(settings.labels(), settings.featureWindow()),
                settings.checkpointChunkBytes(), metrics.checkpointSizes(DEVICE_STORE)));
        builder.addStateStore(PendingReadings.builder(PENDING_STORE, settings.pendingRetention()));
        builder.addStateStore(ImportParts.builder(IMPORT_STORE));
        KStream<String, SpecificRecord> results = byModel.process(() -> new ModelStage(settings, metrics),
                Named.as("test-label-train"), MODEL_STORE, DEVICE_STORE, PENDING_STORE, IMPORT_STORE);

        // Publish each result on its own topic.
        results.split(Named.as("results-"))
                .branch((key, value) -> value instanceof Prediction, Branched.withConsumer(predictions -> predictions
                        .mapValues(value -> (Prediction) value, Named.as("as-prediction"))
                        .to(topics.predictions().name(), topics.predictions().produced()), "predictions"))
                .branch((key, value) -> value instanceof Alert, Branched.withConsumer(alerts -> alerts
                        .mapValues(value -> (Alert) value, Named.as("as-alert"))
                        .to(topics.alerts().name(), topics.alerts().produced()), "alerts"))
                .branch((key, value) -> value instanceof ModelStatus, Branched.withConsumer(status -> status
                        .mapValues(value -> (ModelStatus) value, Named.as("as-model-status"))
                        .to(topics.modelStatus().name(), topics.modelStatus().produced()), "model-status"))
                .noDefaultBranch();

        return builder.build();
    }

    private static <V> void toDeadLetters(KStream<String, V> deadLetters, Topics topics, String name) {
        deadLetters
                .map((key, value) -> KeyValue.pair(((DeadLetter) value).key(), ((DeadLetter) value).value()),
                        Named.as(name + "-bytes"))
                .to(topics.deadLetters().name(), topics.deadLetters().produced());
    }
}
