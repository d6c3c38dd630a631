package io.driftline.app;

import java.time.Duration;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka (the official {@code apache/kafka} image, the version of the Kafka clients on the class
 * path) and Confluent Schema Registry in containers on one Docker network. Only this class touches
 * Testcontainers, so that the default embedded environment never loads it.
 */
final class ContainerServers implements Servers {

    static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka").withTag(AppInfoParser.getVersion());
    static final DockerImageName REGISTRY_IMAGE = DockerImageName.parse("confluentinc/cp-schema-registry:7.9.0");
    private static final String KAFKA_ALIAS = "kafka";
    /** The broker's listener for containers on the network (the registry); the host uses the mapped port. */
    private static final String INTERNAL_LISTENER = KAFKA_ALIAS + ":19092";
    private static final int REGISTRY_PORT = 8081;

    private final Network network;
    private final KafkaContainer kafka;
    private final GenericContainer<?> registry;

    ContainerServers() {
        network = Network.newNetwork();
        kafka = new KafkaContainer(KAFKA_IMAGE)
                .withNetwork(network)
                .withNetworkAliases(KAFKA_ALIAS)
                .withListener(INTERNAL_LISTENER)
                // As the embedded broker: large model checkpoints, replays with historical
                // timestamps that the default retention would delete, topics created explicitly.
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(8 * 1024 * 1024))
                .withEnv("KAFKA_LOG_RETENTION_MS", "-1")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        registry = new GenericContainer<>(REGISTRY_IMAGE)
                .withNetwork(network)
                .withExposedPorts(REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + INTERNAL_LISTENER)
                .dependsOn(kafka)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
        try {
            registry.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether Testcontainers finds a Docker engine (it tries the environment, the socket, ...). */
    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String registryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
    }

    @Override
    public void close() {
        registry.stop();
        kafka.stop();
        network.close();
    }
}
