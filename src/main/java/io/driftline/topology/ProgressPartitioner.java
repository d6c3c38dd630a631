package io.driftline.topology;

import io.driftline.avro.ModelInput;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions the repartition topic between the device and the model stage: a progress mark goes
 * to every partition (each model-stage task waits for every device-stage partition), any other
 * input by its model key, as Kafka's default partitioner does.
 */
final class ProgressPartitioner implements StreamPartitioner<String, ModelInput> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, ModelInput value, int numPartitions) {
        if (value.getProgress() == null) {
            return Optional.empty();
        }
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
    }
}
