package io.driftline.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a Kafka Streams application has produced per input record, topic by topic (its producers'
 * {@code producer-topic-metrics}, uncompressed record bytes): shows which output, changelog or
 * repartition topic a commit has to flush, since the commit waits until the broker acknowledged it all.
 */
final class ProducedBytes {

    private static final String GROUP = "producer-topic-metrics";

    private ProducedBytes() {
    }

    /** Bytes per input record by topic (the application id prefix of internal topics removed), largest first, and the total. */
    static Map<String, Long> perRecord(KafkaStreams streams, String applicationId, long inputRecords) {
        Map<String, Double> bytes = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (GROUP.equals(name.group()) && "byte-total".equals(name.name())
                    && entry.getValue().metricValue() instanceof Double value) {
                String topic = name.tags().get("topic").replace(applicationId + "-", "");
                bytes.merge(topic, value, Double::sum);
            }
        }
        Map<String, Long> result = new LinkedHashMap<>();
        bytes.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(entry -> result.put(entry.getKey(), Math.round(entry.getValue() / inputRecords)));
        result.put("total", Math.round(bytes.values().stream().mapToDouble(Double::doubleValue).sum() / inputRecords));
        return result;
    }
}
