package io.driftline.cli;

import io.driftline.api.JsonRecords;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.topology.Topic;
import io.driftline.topology.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        description = "Print records of an output topic: alerts as coloured lines on a terminal, JSON lines when piped.")
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

    @Option(names = "--kind", paramLabel = "KIND", split = ",",
            description = "Alerts of these kinds only, e.g. FAILURE_RISK,CONCEPT_DRIFT (default: all).")
    Set<AlertKind> kinds = Set.of();

    @Option(names = "--device", paramLabel = "ID", description = "Records of this device only.")
    String device;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|json|text",
            description = "json: one JSON object per line; text: alerts as coloured lines; auto: text on a "
                    + "terminal, json when piped (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        DriftlineConfig config = options.load();
        Topics topics = Topics.from(config, config.registryClientSettings(config.registryUrlToConnect()));
        if (!Set.of("auto", "json", "text").contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format is auto, json or text, not '" + format + "'");
        }
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

    /** Whether {@code value} passes the {@code --kind} and {@code --device} filters. */
    static boolean matches(Object value, Set<AlertKind> kinds, String device) {
        if (value instanceof Alert alert) {
            return (kinds.isEmpty() || kinds.contains(alert.getKind()))
                    && (device == null || device.equals(alert.getDeviceId()));
        }
        if (value instanceof Prediction prediction) {
            return device == null || device.equals(prediction.getDeviceId());
        }
        return true;
    }

    private <V extends SpecificRecordBase> void tail(DriftlineConfig config, Topic<String, V> topic, PrintStream out) {
        Map<String, Object> settings = config.kafkaClientSettings();
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "driftline-tail-" + ProcessHandle.current().pid());
        PrintStream utf8 = new PrintStream(out, true, StandardCharsets.UTF_8);
        boolean text = format.equals("text") || (format.equals("auto") && System.console() != null);
        long printed = 0;
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(settings, Serdes.String().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            while (printed < max) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!matches(record.value(), kinds, device)) {
                        continue;
                    }
                    utf8.println(text && record.value() instanceof Alert alert
                            ? AlertLines.format(alert, true) : JsonRecords.toJsonLine(record.value()));
                    if (++printed >= max) {
                        break;
                    }
                }
            }
        }
    }
}
