package io.driftline.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Where a Kafka Streams application's stream threads spend their time, from its own thread
 * metrics (the most recent sample windows): the shares of processing, committing, polling and
 * punctuating, and the commit latency. Says whether a latency comes from the work per record or
 * from the commits, which the end-to-end percentiles alone cannot tell.
 */
final class ThreadTimes {

    private static final String GROUP = "stream-thread-metrics";
    private static final List<String> RATIOS = List.of("process-ratio", "commit-ratio", "poll-ratio", "punctuate-ratio");
    private static final List<String> LATENCIES = List.of("commit-latency-avg", "commit-latency-max");

    private ThreadTimes() {
    }

    /** Each metric averaged over the application's stream threads; ratios in [0, 1], latencies in ms. */
    static Map<String, Double> of(KafkaStreams streams) {
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (GROUP.equals(name.group()) && (RATIOS.contains(name.name()) || LATENCIES.contains(name.name()))
                    && entry.getValue().metricValue() instanceof Double value && !value.isNaN()) {
                String key = name.name().replace('-', '_');
                sums.merge(key, value, Double::sum);
                counts.merge(key, 1, Integer::sum);
            }
        }
        Map<String, Double> result = new LinkedHashMap<>();
        sums.forEach((key, sum) -> result.put(key, BenchCommand.round3(sum / counts.get(key))));
        return result;
    }
}
