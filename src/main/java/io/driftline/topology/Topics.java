package io.driftline.topology;

import io.driftline.avro.Alert;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.ModelStatus;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.registry.SpecificAvroSerde;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Driftline's topics, built once from configuration and immutable. Keys are UTF-8 strings (device
 * id or model key); values are Avro in the Confluent wire format.
 *
 * @param readings input: sensor readings keyed by device id
 * @param maintenance input: maintenance and failure events keyed by device id
 * @param predictions output: one prediction per reading, keyed by device id
 * @param alerts output: alerts keyed by model key
 * @param deadLetters output: input records that could not be processed, bytes unchanged
 * @param modelStatus output: the state of each model, keyed by model key
 * @param commands input: operators' commands to models (reset), keyed by model key
 * @param modelInputs internal: the repartition topic between the device and the model stage
 *     (Kafka Streams prefixes its name with the application id), keyed by model key
 */
public record Topics(Topic<String, SensorReading> readings,
                     Topic<String, MaintenanceEvent> maintenance,
                     Topic<String, Prediction> predictions,
                     Topic<String, Alert> alerts,
                     Topic<byte[], byte[]> deadLetters,
                     Topic<String, ModelStatus> modelStatus,
                     Topic<String, ModelCommand> commands,
                     Topic<String, ModelInput> modelInputs) {

    /** Name of the internal repartition topic, before Kafka Streams' prefix and suffix. */
    public static final String MODEL_INPUTS = "model-inputs";

    /** Topics named by {@code config}, their Avro serdes talking to the registry at {@code registrySettings}. */
    public static Topics from(DriftlineConfig config, Map<String, Object> registrySettings) {
        return new Topics(
                new Topic<>(config.getString(DriftlineConfig.TOPIC_READINGS), Serdes.String(),
                        avro(SensorReading.class, registrySettings)),
                new Topic<>(config.getString(DriftlineConfig.TOPIC_MAINTENANCE), Serdes.String(),
                        avro(MaintenanceEvent.class, registrySettings)),
                new Topic<>(config.getString(DriftlineConfig.TOPIC_PREDICTIONS), Serdes.String(),
                        avro(Prediction.class, registrySettings)),
                new Topic<>(config.getString(DriftlineConfig.TOPIC_ALERTS), Serdes.String(),
                        avro(Alert.class, registrySettings)),
                new Topic<>(config.getString(DriftlineConfig.TOPIC_DEAD_LETTER), Serdes.ByteArray(),
                        Serdes.ByteArray()),
                new Topic<>(config.getString(DriftlineConfig.TOPIC_MODEL_STATUS), Serdes.String(),
                        avro(ModelStatus.class, registrySettings)),
                new Topic<>(config.getString(DriftlineConfig.TOPIC_COMMANDS), Serdes.String(),
                        avro(ModelCommand.class, registrySettings)),
                new Topic<>(MODEL_INPUTS, Serdes.String(), avro(ModelInput.class, registrySettings)));
    }

    /** An input topic's records as bytes: decoding is a step of the topology, so failures can be dead-lettered. */
    public static Topic<byte[], byte[]> raw(Topic<?, ?> input) {
        return new Topic<>(input.name(), Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** Every topic Driftline reads or writes (not its internal ones). */
    public List<String> names() {
        return List.of(readings.name(), maintenance.name(), predictions.name(), alerts.name(), deadLetters.name(),
                modelStatus.name(), commands.name());
    }

    static <T extends SpecificRecord> Serde<T> avro(Class<T> type, Map<String, Object> registrySettings) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(registrySettings, false);
        return serde;
    }
}
