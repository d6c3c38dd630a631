package io.driftline.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a Kafka Streams application has produced per input record, topic by topic (its producers'
 * {@code producer-topic-metrics} {@code byte-total}): shows which output, changelog or repartition
 * topic a commit has to flush, since the commit waits until the broker acknowledged it all.
 *
 * <p>The bytes are those of the record batches as sent, compressed where the producer compresses,
 * batch and record headers included: Kafka's {@code Sender} (4.3.1) records each drained batch's
 * {@code ProducerBatch.estimatedSizeInBytes()}, which is exact once the batch is closed, and the
 * accumulator closes every batch it drains. A batch sent again after a retriable error counts again.
 */
final class ProducedBytes {

    private static final String GROUP = "producer-topic-metrics";

    private ProducedBytes() {
    }

    /** Bytes per input record by topic (the application id prefix of internal topics removed), largest first, and the total. */
    static Map<String, Long> perRecord(KafkaStreams streams, String applicationId, long inputRecords) {
        return perRecord(totals(streams, applicationId), Map.of(), topic -> inputRecords);
    }

    /** Bytes produced so far by topic (the application id prefix of internal topics removed). */
    static Map<String, Double> totals(KafkaStreams streams, String applicationId) {
        Map<String, Double> bytes = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (GROUP.equals(name.group()) && "byte-total".equals(name.name())
                    && entry.getValue().metricValue() instanceof Double value) {
                String topic = name.tags().get("topic").replace(applicationId + "-", "");
                bytes.merge(topic, value, Double::sum);
            }
        }
        return bytes;
    }

    /**
     * Bytes per input record by topic between two {@link #totals} ({@code before} empty: since the
     * start), largest first, and the total; {@code inputRecords} gives the records each topic's bytes
     * are divided by.
     */
    static Map<String, Long> perRecord(Map<String, Double> now, Map<String, Double> before,
                                       ToLongFunction<String> inputRecords) {
        Map<String, Double> perRecord = new TreeMap<>();
        now.forEach((topic, total) -> perRecord.put(topic,
                (total - before.getOrDefault(topic, 0.0)) / Math.max(1, inputRecords.applyAsLong(topic))));
        Map<String, Long> result = new LinkedHashMap<>();
        perRecord.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(entry -> result.put(entry.getKey(), Math.round(entry.getValue())));
        result.put("total", Math.round(perRecord.values().stream().mapToDouble(Double::doubleValue).sum()));
        return result;
    }
}
