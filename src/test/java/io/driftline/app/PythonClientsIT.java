package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.topology.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Python examples (examples/python) against a real broker and registry and a running
 * Driftline: producer.py writes readings and maintenance events with confluent-kafka-python's
 * legacy Avro API, consumer.py reads the predictions and alerts back and checks that every
 * reading it was told about got exactly one prediction; Driftline's own reader agrees. Debian's
 * python3-confluent-kafka, python3-avro and python3-requests, under Debian's own /usr/bin/python3
 * (a pyenv python3 does not see them); {@code .ci/run} installs them.
 */
class PythonClientsIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path EXAMPLES = Path.of("examples", "python");
    private static final int DEVICES = 6;
    private static final int READINGS = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldPredictEveryReadingAPythonProducerWrites() throws Exception {
        assertThat(run(Path.of("."), List.of("-c", "import confluent_kafka.avro, avro")).exit)
                .as("Debian's python3-confluent-kafka, python3-avro and python3-requests for %s (.ci/run installs them)",
                        PYTHON)
                .isZero();
        Path dir = Files.createTempDirectory(environment.dir, "python");
        DriftlineConfig config = new DriftlineConfig(Map.of(DriftlineConfig.DATA_DIR, dir.toString(),
                DriftlineConfig.HTTP_PORT, "-1"));
        Infrastructure infrastructure = environment.infrastructure();
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        List<String> servers = List.of("--bootstrap-servers", environment.bootstrapServers(),
                "--registry-url", environment.registryUrl());
        Path sent = dir.resolve("sent.tsv");

        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Result producer = run(dir, concat(List.of(EXAMPLES.resolve("producer.py").toString(), "--devices",
                    Integer.toString(DEVICES), "--readings", Integer.toString(READINGS), "--sent", sent.toString()), servers));
            assertThat(producer.exit).as(producer.output).isZero();
            assertThat(producer.summary().get("readings").asInt()).isEqualTo(DEVICES * READINGS);
            assertThat(producer.summary().get("maintenance_events").asInt()).isEqualTo(2);

            Result consumer = run(dir, concat(List.of(EXAMPLES.resolve("consumer.py").toString(), "--expect", sent.toString(),
                    "--timeout", "90"), servers));
            assertThat(consumer.exit).as(consumer.output).isZero();
            assertThat(consumer.summary().get("expected_predicted").asInt()).isEqualTo(DEVICES * READINGS);
            assertThat(consumer.summary().get("missing").asInt()).isZero();
            assertThat(consumer.summary().get("duplicated").asInt()).isZero();

            List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), -1);
            assertThat(predictions).extracting(p -> p.getDeviceId() + "\t" + p.getSequence())
                    .containsExactlyInAnyOrderElementsOf(Files.readAllLines(sent));
            assertThat(service.meters().find("driftline.dead.letters").counters()).as("nothing dead-lettered")
                    .extracting(counter -> counter.getId().getTag("reason") + " " + counter.count()).isEmpty();
        }
    }

    private record Result(int exit, String output) {
        /** The script's last line: its JSON summary. */
        JsonNode summary() throws IOException {
            return JSON.readTree(output.strip().lines().reduce((first, second) -> second).orElse("{}"));
        }
    }

    private static Result run(Path workDir, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
        command.addAll(arguments.stream().map(a -> a.startsWith("examples") ? Path.of(a).toAbsolutePath().toString() : a).toList());
        Path output = Files.createTempFile(environment.dir, "python", ".out");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end in 3 minutes: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
