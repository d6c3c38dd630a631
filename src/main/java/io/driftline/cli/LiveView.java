package io.driftline.cli;

import io.driftline.avro.Alert;
import io.driftline.avro.ModelStatus;
import io.driftline.avro.Prediction;
import io.driftline.topology.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A terminal view of what Driftline publishes: every alert as it arrives (coloured by severity on a
 * terminal) and, every few seconds, per model its windowed prequential accuracy and kappa, the
 * recall of failures (from {@code model-status}) and the mean failure probability of its recent
 * predictions.
 */
final class LiveView implements Runnable {

    private static final int WINDOW = 1000;

    private final Map<String, Object> clientSettings;
    private final Topics topics;
    private final PrintStream out;
    private final boolean colour;
    private final Map<String, ModelLine> models = new TreeMap<>();
    private volatile boolean stopped;
    private long predictions;

    LiveView(Map<String, Object> clientSettings, Topics topics, PrintStream out, boolean colour) {
        this.clientSettings = clientSettings;
        this.topics = topics;
        this.out = out;
        this.colour = colour;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "driftline-live-view-" + ProcessHandle.current().pid());
        Deserializer<Prediction> predictionReader = topics.predictions().valueSerde().deserializer();
        Deserializer<Alert> alertReader = topics.alerts().valueSerde().deserializer();
        Deserializer<ModelStatus> statusReader = topics.modelStatus().valueSerde().deserializer();
        long nextSummary = System.currentTimeMillis() + 5_000;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.predictions().name(), topics.alerts().name(), topics.modelStatus().name()));
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.topic().equals(topics.alerts().name())) {
                        print(alertReader.deserialize(record.topic(), record.headers(), record.value()));
                    } else if (record.topic().equals(topics.modelStatus().name())) {
                        ModelStatus status = statusReader.deserialize(record.topic(), record.headers(), record.value());
                        models.computeIfAbsent(status.getModelKey(), key -> new ModelLine()).status = status;
                    } else {
                        count(predictionReader.deserialize(record.topic(), record.headers(), record.value()));
                    }
                }
                if (System.currentTimeMillis() >= nextSummary) {
                    summary();
                    nextSummary = System.currentTimeMillis() + 5_000;
                }
            }
        }
    }

    private void count(Prediction prediction) {
        predictions++;
        models.computeIfAbsent(prediction.getModelKey(), key -> new ModelLine()).add(prediction);
    }

    private void print(Alert alert) {
        out.println(AlertLines.format(alert, colour));
    }

    private void summary() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "-- %,d predictions", predictions));
        models.forEach((key, model) -> line.append(String.format(Locale.ROOT, " | %s %s risk %.3f",
                key, model.figures(), model.meanRisk())));
        out.println(line);
    }

    /** One model's latest status and the mean failure probability of its last {@link #WINDOW} predictions. */
    private static final class ModelLine {
        private final Deque<Double> risk = new ArrayDeque<>();
        private double riskSum;
        private ModelStatus status;

        void add(Prediction prediction) {
            risk.addLast(prediction.getFailureProbability());
            riskSum += prediction.getFailureProbability();
            if (risk.size() > WINDOW) {
                riskSum -= risk.removeFirst();
            }
        }

        String figures() {
            if (status == null || status.getInstancesTrained() == 0) {
                return "no labels yet";
            }
            return String.format(Locale.ROOT, "acc %5.1f%% kappa %5.1f recall %3.0f%% (%,d trained)",
                    status.getWindowAccuracy(), status.getWindowKappa(), 100 * status.getRecall(),
                    status.getInstancesTrained());
        }

        double meanRisk() {
            // The running sum's rounding can leave it a hair below zero once only zeros remain.
            return risk.isEmpty() ? 0 : Math.max(0, riskSum / risk.size());
        }
    }
}
