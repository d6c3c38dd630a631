package io.driftline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.driftline.config.DriftlineConfig;
import io.driftline.topology.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} and the {@code Dockerfile}, checked where no Docker engine runs (as on
 * CI): valid YAML with the services, images, health checks and start order a deployment needs.
 */
class DeploymentFilesTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");

    @Test
    void shouldDescribeKafkaTheRegistryDriftlineAndTheSimulatorWithHealthChecks() throws IOException {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).get("services");

        assertThat(services.fieldNames()).toIterable()
                .contains("kafka", "topics", "schema-registry", "driftline", "simulator");
        assertThat(services.get("kafka").get("image").asText()).startsWith("apache/kafka:");
        assertThat(services.get("schema-registry").get("image").asText()).startsWith("confluentinc/cp-schema-registry:");
        for (String service : List.of("kafka", "schema-registry", "driftline")) {
            assertThat(services.get(service).get("healthcheck").get("test")).as(service).isNotNull();
        }
        JsonNode driftline = services.get("driftline");
        assertThat(driftline.get("build").asText()).isEqualTo(".");
        assertThat(driftline.get("depends_on").get("schema-registry").get("condition").asText())
                .isEqualTo("service_healthy");
        assertThat(driftline.get("depends_on").get("topics").get("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(driftline.get("environment").get("DRIFTLINE_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
        assertThat(services.get("simulator").get("command").get(0).asText()).isEqualTo("simulate");
    }

    @Test
    void shouldCreateEveryTopicDriftlineUses() throws IOException {
        JsonNode topics = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile())
                .get("services").get("topics").get("command");
        String script = StreamSupport.stream(topics.spliterator(), false).map(JsonNode::asText).reduce("", String::concat);

        DriftlineConfig defaults = new DriftlineConfig(Map.of());
        List<String> names = Topics.from(defaults, defaults.registryClientSettings("mock://deployment-files-test")).names();
        assertThat(script).contains(names);
    }

    @Test
    void shouldBuildInTwoStagesAndRunAsANonRootUser() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));

        assertThat(lines).filteredOn(line -> line.startsWith("FROM ")).hasSize(2);
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("USER (?!root)\\w+"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("ENTRYPOINT").contains("io.driftline.cli.Main"));
    }
}
