package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.registry.AvroSerdeConfig;
import io.driftline.registry.SchemaRegistryException;
import io.driftline.tls.StoreFile;
import io.driftline.tls.TestCertificates;
import io.driftline.topology.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security settings given as {@code kafka.*} reach every Kafka client Driftline creates, as
 * each client parses them; registry credentials reach the registry as HTTP headers, and the
 * registry's TLS settings ({@code schema.registry.ssl.*}) decide whom the registry client trusts
 * and which certificate it presents.
 */
class ClientSecuritySettingsTest {

    @TempDir
    static Path certificatesDir;
    private static TestCertificates certificates;

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"driftline\" password=\"jaas-secret\";";

    private static DriftlineConfig secured(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                DriftlineConfig.BOOTSTRAP_SERVERS, "kafka-1:9093",
                DriftlineConfig.SCHEMA_REGISTRY_URL, "https://registry:8081",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", JAAS,
                "kafka.ssl.truststore.location", "/etc/kafka/truststore.jks",
                "kafka.ssl.truststore.password", "truststore-secret",
                "kafka.ssl.keystore.location", "/etc/kafka/keystore.jks",
                "kafka.ssl.keystore.password", "keystore-secret",
                "kafka.ssl.key.password", "key-secret"));
        settings.putAll(extra);
        return new DriftlineConfig(settings);
    }

    private static void assertSecured(AbstractConfig client) {
        assertThat(client.getList("bootstrap.servers")).containsExactly("kafka-1:9093");
        assertThat(client.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(client.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(client.getPassword("sasl.jaas.config").value()).isEqualTo(JAAS);
        assertThat(client.getString("ssl.truststore.location")).isEqualTo("/etc/kafka/truststore.jks");
        assertThat(client.getPassword("ssl.truststore.password").value()).isEqualTo("truststore-secret");
        assertThat(client.getString("ssl.keystore.location")).isEqualTo("/etc/kafka/keystore.jks");
        assertThat(client.getPassword("ssl.keystore.password").value()).isEqualTo("keystore-secret");
        assertThat(client.getPassword("ssl.key.password").value()).isEqualTo("key-secret");
    }

    private static Map<String, Object> withByteSerdes(Map<String, Object> settings) {
        Map<String, Object> result = new HashMap<>(settings);
        result.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        result.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        result.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        result.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return result;
    }

    @Test
    void shouldPassSecuritySettingsToEveryKafkaStreamsClient() {
        DriftlineConfig config = secured(Map.of());
        StreamsConfig streams = new StreamsConfig(DriftlineService.streamsProperties(config, Infrastructure.start(config)));

        // Kafka Streams adds the byte-array serdes itself when it creates these clients.
        assertSecured(new ConsumerConfig(withByteSerdes(streams.getMainConsumerConfigs("driftline", "client", 0))));
        assertSecured(new ConsumerConfig(withByteSerdes(streams.getRestoreConsumerConfigs("client"))));
        assertSecured(new ProducerConfig(withByteSerdes(streams.getProducerConfigs("client"))));
        assertSecured(new AdminClientConfig(streams.getAdminConfigs("client")));
    }

    @Test
    void shouldPassSecuritySettingsToTheProducersConsumersAndAdminOfTheApp() {
        DriftlineConfig config = secured(Map.of());
        // Infrastructure's settings feed topic creation, the simulator, the live view and evaluate.
        Map<String, Object> settings = withByteSerdes(Infrastructure.start(config).clientSettings());

        assertSecured(new ProducerConfig(settings));
        assertSecured(new ConsumerConfig(settings));
        assertSecured(new AdminClientConfig(settings));
    }

    @Test
    void shouldPassSecuritySettingsToTheClientsOfTailReplayAndSimulate() {
        Map<String, Object> settings = withByteSerdes(secured(Map.of()).kafkaClientSettings());

        assertSecured(new ProducerConfig(settings));
        assertSecured(new ConsumerConfig(settings));
        assertSecured(new AdminClientConfig(settings));
    }

    @Test
    void shouldSendBasicCredentialsToTheRegistry() throws IOException {
        String authorization = firstAuthorizationHeader(Map.of(
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "driftline:registry-secret"));

        assertThat(authorization).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("driftline:registry-secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldSendABearerTokenToTheRegistry() throws IOException {
        assertThat(firstAuthorizationHeader(Map.of("bearer.auth.token", "token-secret")))
                .isEqualTo("Bearer token-secret");
    }

    @Test
    void shouldTrustAnHttpsRegistrysPrivateCaOnlyWhenItsTrustStoreIsConfigured() throws IOException {
        TestCertificates certificates = certificates();
        HttpsServer registry = httpsRegistry(certificates, false);
        try {
            String url = "https://127.0.0.1:" + registry.getAddress().getPort();
            assertThat(serialise(url, trustStore(certificates.trustStore()))).isNotEmpty();
            // The JVM's trust store does not know the test CA; nor does another CA's trust store.
            assertThatThrownBy(() -> serialise(url, Map.of(AvroSerdeConfig.MAX_RETRIES, "0")))
                    .isInstanceOf(SchemaRegistryException.class).hasStackTraceContaining(SSLHandshakeException.class.getName());
            assertThatThrownBy(() -> serialise(url, trustStore(certificates.otherTrustStore())))
                    .isInstanceOf(SchemaRegistryException.class).hasStackTraceContaining(SSLHandshakeException.class.getName());
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void shouldPresentTheClientCertificateToARegistryRequiringMutualTls() throws IOException {
        TestCertificates certificates = certificates();
        HttpsServer registry = httpsRegistry(certificates, true);
        try {
            String url = "https://127.0.0.1:" + registry.getAddress().getPort();
            Map<String, String> withKey = new HashMap<>(trustStore(certificates.trustStore()));
            withKey.put(AvroSerdeConfig.SSL_KEYSTORE_LOCATION, certificates.clientKeyStore().location().toString());
            withKey.put(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD, TestCertificates.PASSWORD);
            withKey.put(AvroSerdeConfig.SSL_KEYSTORE_TYPE, "PKCS12");
            withKey.put(AvroSerdeConfig.SSL_KEY_PASSWORD, TestCertificates.PASSWORD);
            assertThat(serialise(url, withKey)).isNotEmpty();
            assertThatThrownBy(() -> serialise(url, trustStore(certificates.trustStore())))
                    .isInstanceOf(SchemaRegistryException.class);
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void shouldRefuseAKeyStoreThatCannotBeReadAtStartUp(@TempDir Path dir) {
        Map<String, String> settings = Map.of(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, dir.resolve("missing.p12").toString());
        assertThatThrownBy(() -> serialise("https://127.0.0.1:1", settings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.p12");
    }

    /** One CA and its certificates for the class: making them takes a JVM start. */
    private static synchronized TestCertificates certificates() {
        if (certificates == null) {
            certificates = TestCertificates.create(certificatesDir);
        }
        return certificates;
    }

    private static Map<String, String> trustStore(StoreFile store) {
        return Map.of(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, store.location().toString(),
                AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD,
                AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12", AvroSerdeConfig.MAX_RETRIES, "0");
    }

    /** A registry stub over TLS with the test CA's server certificate; {@code mutual}: it requires a client certificate. */
    private static HttpsServer httpsRegistry(TestCertificates certificates, boolean mutual) throws IOException {
        HttpsServer registry = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(mutual);
                params.setSSLParameters(parameters);
            }
        });
        registry.createContext("/", exchange -> {
            byte[] body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        return registry;
    }

    /** A reading serialised by the serde Driftline builds from {@code registrySettings} for {@code url}. */
    private static byte[] serialise(String url, Map<String, String> registrySettings) {
        DriftlineConfig config = secured(registrySettings);
        Topics topics = Topics.from(config, config.registryClientSettings(url));
        SensorReading reading = SensorReading.newBuilder().setDeviceId("d1").setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(1_000)).setSequence(1).setSensors(Map.of("t", 1.0)).build();
        return topics.readings().valueSerde().serializer().serialize(topics.readings().name(), reading);
    }

    /** Serialises a reading through the serde Driftline builds from {@code registrySettings} against a registry stub. */
    private static String firstAuthorizationHeader(Map<String, String> registrySettings) throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        try {
            DriftlineConfig config = secured(registrySettings);
            String url = "http://127.0.0.1:" + registry.getAddress().getPort();
            Topics topics = Topics.from(config, config.registryClientSettings(url));
            SensorReading reading = SensorReading.newBuilder().setDeviceId("d1").setMachineType("L")
                    .setEventTime(Instant.ofEpochMilli(1_000)).setSequence(1).setSensors(Map.of("t", 1.0)).build();

            topics.readings().valueSerde().serializer().serialize(topics.readings().name(), reading);
        } finally {
            registry.stop(0);
        }
        assertThat(authorizations).isNotEmpty();
        return authorizations.get(0);
    }
}
