package io.driftline.bench;

import io.driftline.avro.ModelInput;
import io.driftline.avro.SensorReading;
import io.driftline.registry.SpecificAvroSerde;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A sensor reading through Driftline's registry serde (Confluent wire format; in-memory registry,
 * ids cached): as it comes in, and wrapped as the model stage's input on the repartition topic
 * (encoded by the device stage, decoded by the model stage).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerdeBenchmark {

    private static final String TOPIC = "sensor-readings";

    private static final String REPARTITION = "driftline-model-inputs-repartition";

    private SpecificAvroSerde<SensorReading> serde;
    private SpecificAvroSerde<ModelInput> inputSerde;
    private SensorReading reading;
    private ModelInput input;
    private byte[] bytes;
    private byte[] inputBytes;

    @Setup
    public void setUp() {
        serde = new SpecificAvroSerde<>(SensorReading.class);
        serde.configure(Map.of("schema.registry.url", "mock://jmh"), false);
        List<SensorReading> readings = BenchFleet.readings(1);
        reading = readings.get(0);
        bytes = serde.serializer().serialize(TOPIC, reading);
        inputSerde = new SpecificAvroSerde<>(ModelInput.class);
        inputSerde.configure(Map.of("schema.registry.url", "mock://jmh"), false);
        input = ModelInput.newBuilder().setReading(reading).build();
        inputBytes = inputSerde.serializer().serialize(REPARTITION, input);
    }

    @Benchmark
    public byte[] serialize() {
        return serde.serializer().serialize(TOPIC, reading);
    }

    @Benchmark
    public SensorReading deserialize() {
        return serde.deserializer().deserialize(TOPIC, bytes);
    }

    @Benchmark
    public byte[] serializeModelInput() {
        return inputSerde.serializer().serialize(REPARTITION, input);
    }

    @Benchmark
    public ModelInput deserializeModelInput() {
        return inputSerde.deserializer().deserialize(REPARTITION, inputBytes);
    }
}
