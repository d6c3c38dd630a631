package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.EmbeddedKafkaBroker;
import io.driftline.kafka.TopicAdmin;
import io.driftline.learn.MoaStreams;
import io.driftline.registry.AvroSerdeConfig;
import io.driftline.registry.RegistryServer;
import io.driftline.registry.SchemaRegistryException;
import io.driftline.tls.TestCertificates;
import io.driftline.topology.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded registry (Apicurio) serving HTTPS only, with a certificate from a CA of the test's
 * own that the JVM does not trust, and Driftline against it: the {@code schema.registry.ssl.*}
 * trust store reaches every registry client Driftline creates (the topology's serdes, the test's
 * publisher and reader go through the same settings), readings are predicted, and the HTTP API
 * serves HTTPS with {@code http.ssl.*}. Without the trust store the registry cannot be reached.
 */
class RegistryTlsIT {

    private static final String STREAM = "generators.SEAGenerator -f 1";
    private static final int READINGS = 500;

    @Test
    void shouldRunAgainstARegistryBehindTlsWithAPrivateCa(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary();
             RegistryServer registry = RegistryServer.start(0, null,
                     new RegistryServer.Https(certificates.serverKeyStore(), certificates.clientContext()))) {
            assertThat(registry.url()).startsWith("https://");
            Map<String, Object> settings = new HashMap<>();
            settings.put(DriftlineConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            settings.put(DriftlineConfig.SCHEMA_REGISTRY_URL, registry.url());
            settings.put(DriftlineConfig.DATA_DIR, dir.resolve("app").toString());
            settings.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, certificates.trustStore().location().toString());
            settings.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD);
            settings.put(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
            settings.put(DriftlineConfig.HTTP_SSL_KEYSTORE_LOCATION, certificates.serverKeyStore().location().toString());
            settings.put(DriftlineConfig.HTTP_SSL_KEYSTORE_PASSWORD, TestCertificates.PASSWORD);
            settings.put(DriftlineConfig.HTTP_SSL_KEYSTORE_TYPE, "PKCS12");
            DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(settings), MoaStreams.open(STREAM),
                    "trees.HoeffdingTree", "none").with(Map.of(DriftlineConfig.HTTP_PORT, "0"));
            Infrastructure infrastructure = Infrastructure.existing(broker.bootstrapServers(), registry.url());
            Topics topics = Topics.from(config, config.registryClientSettings(registry.url()));
            TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(), 1, (short) 1, Duration.ofSeconds(60));

            try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
                assertThat(service.awaitRunning(Duration.ofSeconds(90))).isTrue();
                Replays.publish(infrastructure, topics, STREAM, READINGS, 1);
                List<Prediction> predictions = Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS);
                assertThat(predictions).hasSize(READINGS);

                String api = service.httpUrl("127.0.0.1").orElseThrow();
                assertThat(api).startsWith("https://");
                HttpResponse<String> ready = HttpClient.newBuilder().sslContext(certificates.clientContext()).build()
                        .send(HttpRequest.newBuilder(URI.create(api + "ready")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
            }

            Map<String, Object> untrusting = new HashMap<>(config.registryClientSettings(registry.url()));
            untrusting.remove(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
            untrusting.put(AvroSerdeConfig.MAX_RETRIES, "0");
            assertThatThrownBy(() -> new AvroSerdeConfig(untrusting).createClient().subjects())
                    .isInstanceOf(SchemaRegistryException.class).hasStackTraceContaining("SSLHandshakeException");
        }
    }
}
