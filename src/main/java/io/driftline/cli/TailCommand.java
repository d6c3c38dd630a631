package io.driftline.cli;

import io.driftline.config.DriftlineConfig;
import io.driftline.topology.Topic;
import io.driftline.topology.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Serdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print records of an output topic, one JSON object per line.")
final class TailCommand implements Callable<Integer> {

    /** What can be tailed, by the name users type. */
    static final class Streams extends ArrayList<String> {
        Streams() {
            super(List.of("predictions", "alerts", "model-status"));
        }
    }

    @Mixin
    ConfigOptions options;

    @Parameters(index = "0", completionCandidates = Streams.class, description = "One of: ${COMPLETION-CANDIDATES}.")
    String stream;

    @Spec
    CommandSpec spec;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of the newest.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records (default: never).")
    long max = Long.MAX_VALUE;

    @Override
    public Integer call() {
        DriftlineConfig config = options.load();
        Topics topics = Topics.from(config, config.registryClientSettings(config.registryUrlToConnect()));
        Topic<String, ? extends SpecificRecordBase> topic = switch (stream) {
            case "predictions" -> topics.predictions();
            case "alerts" -> topics.alerts();
            case "model-status" -> topics.modelStatus();
            default -> throw new ParameterException(spec.commandLine(),
                    "cannot tail '" + stream + "': one of " + new Streams());
        };
        tail(config, topic, System.out);
        return 0;
    }

    private <V extends SpecificRecordBase> void tail(DriftlineConfig config, Topic<String, V> topic, PrintStream out) {
        Map<String, Object> settings = new HashMap<>(config.kafkaClientOverrides());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServersToConnect());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "driftline-tail-" + ProcessHandle.current().pid());
        PrintStream utf8 = new PrintStream(out, true, StandardCharsets.UTF_8);
        long printed = 0;
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(settings, Serdes.String().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            while (printed < max) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                    utf8.println(JsonRecords.toJsonLine(record.value()));
                    if (++printed >= max) {
                        break;
                    }
                }
            }
        }
    }
}
