package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.cli.Cli;
import io.driftline.config.DriftlineConfig;
import io.driftline.topology.Topics;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code driftline backfill} as the README tells a user to run it: a gzipped CSV export written
 * device by device (not in time order) with bad rows among the good, and a maintenance file,
 * produced to a backfill's own topics through a real broker and registry; then Driftline, started
 * on those topics under the backfill's application id, makes exactly one prediction per good row.
 */
class BackfillIT {

    private static final int DEVICES = 6;
    private static final int READINGS_PER_DEVICE = 400;
    private static final Instant START = Instant.parse("2025-06-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldBackfillACsvExportWithOnePredictionPerGoodRow() throws Exception {
        Path dir = Files.createTempDirectory(environment.dir, "backfill");
        Path readings = dir.resolve("historian-export.csv.gz");
        Path maintenance = dir.resolve("maintenance.csv");
        Set<String> goodRows = new HashSet<>();
        List<Long> badLines = writeExport(readings, goodRows);
        Files.writeString(maintenance, "device_id,event_time,kind,component\n"
                + "L-0," + START.plus(Duration.ofHours(5)) + ",FAILURE,spindle\n"
                + "L-0," + START.plus(Duration.ofHours(6)) + ",REPAIR,spindle\n");
        Map<String, Object> settings = new HashMap<>();
        settings.put(DriftlineConfig.DATA_DIR, dir.toString());
        settings.put(DriftlineConfig.APPLICATION_ID, "driftline-backfill");
        for (String topic : List.of("readings", "maintenance", "predictions", "alerts", "model.status", "commands", "dead.letter")) {
            settings.put("topic." + topic, "backfill-" + topic.replace('.', '-'));
        }
        settings.put(DriftlineConfig.HTTP_PORT, "-1");
        DriftlineConfig config = new DriftlineConfig(settings);
        List<String> args = new ArrayList<>(List.of("backfill", "--bootstrap-servers", environment.bootstrapServers(),
                "--registry-url", environment.registryUrl(), "--readings", readings.toString(),
                "--maintenance", maintenance.toString(), "--attribute-columns", "firmware", "--tag-columns", "site"));
        settings.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));

        JsonNode summary = JSON.readTree(Cli.run(3, args.toArray(String[]::new)).strip().lines().reduce((a, b) -> b).orElseThrow());

        assertThat(summary.get("readings").asLong()).isEqualTo(goodRows.size());
        assertThat(summary.get("maintenance_events").asLong()).isEqualTo(2);
        assertThat(summary.get("devices").asLong()).isEqualTo(DEVICES);
        assertThat(summary.get("rejected").asLong()).isEqualTo(badLines.size());
        List<String> rejects = Files.readAllLines(dir.resolve("backfill-rejects.csv"));
        assertThat(rejects).hasSize(badLines.size() + 1);
        assertThat(rejects.subList(1, rejects.size())).extracting(line -> Long.parseLong(line.split(",")[1]))
                .containsExactlyElementsOf(badLines);

        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        assertEventTimeOrderOnEveryPartition(infrastructure, topics);
        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), goodRows.size());
            Thread.sleep(2_000);
            predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);

            assertThat(predictions).extracting(p -> p.getDeviceId() + "@" + p.getReadingTime())
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(goodRows);
            assertThat(service.meters().find("driftline.dead.letters").counters()).as("nothing dead-lettered")
                    .extracting(counter -> counter.getId().getTag("reason") + " " + counter.count()).isEmpty();
        }
    }

    /** The backfilled readings, partition by partition, in the order of their event times, which are their timestamps. */
    private static void assertEventTimeOrderOnEveryPartition(Infrastructure infrastructure, Topics topics) {
        Map<String, Object> consumerSettings = new HashMap<>(infrastructure.clientSettings());
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, SensorReading> consumer = new KafkaConsumer<>(consumerSettings,
                topics.readings().keySerde().deserializer(), topics.readings().valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.readings().name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            assertThat(partitions).hasSizeGreaterThan(1);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> last = new HashMap<>();
            long read = 0;
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            while (read < total) {
                for (ConsumerRecord<String, SensorReading> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    assertThat(record.timestamp()).isEqualTo(record.value().getEventTime().toEpochMilli())
                            .isGreaterThanOrEqualTo(last.getOrDefault(partition, Long.MIN_VALUE));
                    last.put(partition, record.timestamp());
                    read++;
                }
            }
        }
    }

    /**
     * A historian export, device after device, each device's rows in time order, every 50th row
     * broken in one of the ways exports break; returns the broken rows' line numbers and adds the
     * good rows (device@time) to {@code goodRows}.
     */
    private static List<Long> writeExport(Path file, Set<String> goodRows) throws IOException {
        Random random = new Random(17);
        List<Long> badLines = new ArrayList<>();
        try (PrintWriter csv = new PrintWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)),
                StandardCharsets.UTF_8))) {
            csv.print("device_id,machine_type,event_time,temperature_c,vibration_mm_s,firmware,site\n");
            long line = 1;
            for (int d = 0; d < DEVICES; d++) {
                String type = d % 2 == 0 ? "L" : "M";
                String device = type + "-" + d;
                for (int i = 0; i < READINGS_PER_DEVICE; i++) {
                    Instant time = START.plus(Duration.ofMinutes(i));
                    String when = i % 3 == 0 ? Long.toString(time.toEpochMilli()) : time.toString();
                    String temperature = String.format(Locale.ROOT, "%.2f", 60 + random.nextGaussian());
                    String vibration = String.format(Locale.ROOT, "%.3f", 2 + random.nextGaussian() * 0.2);
                    line++;
                    String row = device + "," + type + "," + when + "," + temperature + "," + vibration + ",v1,plant-a";
                    if (i % 50 == 49) {
                        row = switch (i / 50 % 4) {
                            case 0 -> device + "," + type + ",yesterday," + temperature + "," + vibration + ",v1,plant-a";
                            case 1 -> device + "," + type + "," + when + "," + temperature + ",n/a,v1,plant-a";
                            case 2 -> "," + type + "," + when + "," + temperature + "," + vibration + ",v1,plant-a";
                            default -> device + "," + type + "," + when + "," + temperature;
                        };
                        badLines.add(line);
                    } else {
                        goodRows.add(device + "@" + time);
                    }
                    csv.print(row + "\n");
                }
            }
        }
        return badLines;
    }
}
