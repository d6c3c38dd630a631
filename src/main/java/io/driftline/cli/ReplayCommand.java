package io.driftline.cli;

import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.learn.MoaStreams;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Produce a MOA generator stream to the readings topic as SensorReadings with in-band labels.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--stream", required = true, paramLabel = "SPEC",
            description = "MOA stream spec, e.g. \"ConceptDriftStream -s (generators.SEAGenerator -f 1) "
                    + "-d (generators.SEAGenerator -f 3) -p 50000 -w 1\".")
    String stream;

    @Option(names = "--instances", required = true, paramLabel = "N", description = "How many readings.")
    long instances;

    @Option(names = "--devices", paramLabel = "D", defaultValue = "1",
            description = "Spread the readings over D devices, round robin (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Readings per second; 0: as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--machine-type", paramLabel = "TYPE", defaultValue = "L",
            description = "Machine type of every reading; must be configured in machine.types (default: ${DEFAULT-VALUE}).")
    String machineType;

    @Override
    public Integer call() {
        DriftlineConfig config = options.load();
        MoaStreams.Source source = MoaStreams.open(stream);
        System.err.printf("Stream classes %s; configure classes=%s and features=%s for exact MOA fidelity.%n",
                source.classes(), String.join(",", source.classes()), DriftlineConfig.featureSpec(source.features()));
        Map<String, Object> clientSettings = config.kafkaClientSettings();
        Topics topics = Topics.from(config, config.registryClientSettings(config.registryUrlToConnect()));
        long sent = replay(clientSettings, topics, config, new MoaReplay(source, instances, devices, machineType,
                System::currentTimeMillis), rate);
        System.err.printf("Replayed %d readings to %s.%n", sent, topics.readings().name());
        return 0;
    }

    /** Creates the readings topic if needed and produces every reading; fails if any is not written. */
    static long replay(Map<String, Object> clientSettings, Topics topics, DriftlineConfig config,
                       MoaReplay readings, double rate) {
        TopicAdmin.ensureTopics(clientSettings, List.of(topics.readings().name()),
                config.getInt(DriftlineConfig.TOPIC_PARTITIONS),
                config.getShort(DriftlineConfig.TOPIC_REPLICATION_FACTOR), Duration.ofSeconds(60));
        try (RecordPublisher<String, SensorReading> publisher = new RecordPublisher<>(clientSettings, topics.readings(), rate)) {
            while (readings.hasNext()) {
                SensorReading reading = readings.next();
                publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
            }
            return publisher.sent();
        }
    }
}
