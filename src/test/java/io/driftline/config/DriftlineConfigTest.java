package io.driftline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.features.RollingFeatures;
import io.driftline.learn.Adaptation;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.ModelSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftlineConfigTest {

    @Test
    void shouldApplyFileThenEnvironmentThenFlags(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("driftline.properties");
        Files.writeString(file, "learner=trees.HoeffdingAdaptiveTree\nmodel.scope=device\ntopic.partitions=8\n");

        DriftlineConfig config = DriftlineConfig.load(file,
                Map.of("DRIFTLINE_MODEL_SCOPE", "fleet", "DRIFTLINE_TOPIC_PARTITIONS", "6", "HOME", "/root"),
                Map.of("topic.partitions", "2"));

        assertThat(config.getString(DriftlineConfig.LEARNER)).isEqualTo("trees.HoeffdingAdaptiveTree");
        assertThat(config.modelScope()).isEqualTo(ModelScope.FLEET);
        assertThat(config.getInt(DriftlineConfig.TOPIC_PARTITIONS)).isEqualTo(2);
    }

    @Test
    void shouldDefaultToEmbeddedServersAndExactlyOnce() {
        DriftlineConfig config = new DriftlineConfig(Map.of());

        assertThat(config.embeddedBroker()).isTrue();
        assertThat(config.embeddedRegistry()).isTrue();
        assertThat(config.bootstrapServersToConnect()).isEqualTo("127.0.0.1:9092");
        assertThat(config.getString(DriftlineConfig.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
        assertThat(config.modelSettings().adaptation()).isEqualTo(Adaptation.RESET_ON_DRIFT);
    }

    @Test
    void shouldRejectInvalidValuesAtStartUp() {
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.MODEL_SCOPE, "planet")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DriftlineConfig.MODEL_SCOPE);
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.POSITIVE_CLASS, "broken")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DriftlineConfig.POSITIVE_CLASS);
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DriftlineConfig.FEATURE_WINDOW);
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.HTTP_SSL_KEYSTORE_LOCATION, "/no/such.p12")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/no/such.p12");
        // Rejected here rather than by the first device state, on the stream thread.
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:" + (RollingFeatures.MAX_WINDOW + 1))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DriftlineConfig.FEATURE_WINDOW);
    }

    @Test
    void shouldRefuseAConceptDriftDetectorMoaCannotBuildNamingIt() {
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.CONCEPT_DRIFT_DETECTOR, "NoSuchDetector")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DriftlineConfig.CONCEPT_DRIFT_DETECTOR).hasMessageContaining("NoSuchDetector");
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.CONCEPT_DRIFT_DETECTOR, "DDM -q 3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DDM -q 3");
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.CONCEPT_DRIFT_DETECTOR,
                "trees.HoeffdingTree"))).isInstanceOf(ConfigException.class).hasMessageContaining("change detector");
    }

    @Test
    void shouldPassTheConceptDriftDetectorAdaptationAndWarmupToTheModels() {
        ModelSettings settings = new DriftlineConfig(Map.of(DriftlineConfig.CONCEPT_DRIFT_DETECTOR, "DDM -n 30",
                DriftlineConfig.ADAPTATION, "background", DriftlineConfig.CONCEPT_DRIFT_WARMUP, "500")).modelSettings();

        assertThat(settings.conceptDriftDetector()).isEqualTo("DDM -n 30");
        assertThat(settings.adaptation()).isEqualTo(Adaptation.BACKGROUND);
        assertThat(settings.conceptDriftWarmup()).isEqualTo(500);
        assertThat(new DriftlineConfig(Map.of()).modelSettings().conceptDriftDetector()).isEqualTo("ADWINChangeDetector");
    }

    /**
     * Under at_least_once the model stage's stores reach their changelogs at different points
     * (pending readings at once, device checkpoints at commit), and no point is atomic across them:
     * after a crash a restored device can list readings that are gone, and replayed readings are
     * learned twice. Refused when the configuration loads, with the reason, before anything starts.
     */
    @Test
    void shouldRefuseAtLeastOnceWithTheReason() {
        assertThatThrownBy(() -> new DriftlineConfig(Map.of(DriftlineConfig.PROCESSING_GUARANTEE, "at_least_once")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DriftlineConfig.PROCESSING_GUARANTEE)
                .hasMessageContaining("exactly_once_v2")
                .hasMessageContaining("docs/reliability.md");
        assertThatThrownBy(() -> DriftlineConfig.load(null, Map.of("DRIFTLINE_PROCESSING_GUARANTEE", "at_least_once"),
                Map.of())).isInstanceOf(ConfigException.class);
        assertThat(new DriftlineConfig(Map.of(DriftlineConfig.PROCESSING_GUARANTEE, "exactly_once_v2"))
                .getString(DriftlineConfig.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldParseAndWriteDeclaredFeatures() {
        DriftlineConfig config = new DriftlineConfig(Map.of(DriftlineConfig.FEATURES, "temperature,firmware:{v1|v2}"));

        List<FeatureDef> features = config.modelSettings().declaredFeatures();

        assertThat(features).containsExactly(FeatureDef.numeric("temperature"),
                FeatureDef.nominal("firmware", List.of("v1", "v2")));
        assertThat(DriftlineConfig.featureSpec(features)).isEqualTo("temperature,firmware:{v1|v2}");
    }

    @Test
    void shouldPassKafkaSecuritySettingsThroughWithoutThePrefix() {
        DriftlineConfig config = new DriftlineConfig(Map.of("kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN"));

        assertThat(config.kafkaClientOverrides())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void shouldTakeSecuritySettingsFromTheFileAndTheEnvironment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("driftline.properties");
        Files.writeString(file, "kafka.security.protocol=SASL_SSL\nkafka.ssl.truststore.location=/etc/kafka/truststore.jks\n");

        DriftlineConfig config = DriftlineConfig.load(file, Map.of(
                "DRIFTLINE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "DRIFTLINE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "truststore-secret",
                "DRIFTLINE_BASIC_AUTH_USER_INFO", "svc:registry-secret"),
                Map.of(DriftlineConfig.BOOTSTRAP_SERVERS, "kafka-1:9093"));

        assertThat(config.kafkaClientSettings())
                .containsEntry("bootstrap.servers", "kafka-1:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                .containsEntry("ssl.truststore.password", "truststore-secret");
        assertThat(config.registryClientSettings("https://registry:8081"))
                .containsEntry("basic.auth.user.info", "svc:registry-secret")
                .containsEntry("schema.registry.url", "https://registry:8081");
    }

    @Test
    void shouldHideSecretsWhenPrinted() {
        DriftlineConfig config = new DriftlineConfig(Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"svc\" password=\"jaas-secret\";",
                "kafka.ssl.truststore.password", "truststore-secret",
                "basic.auth.user.info", "svc:registry-secret",
                DriftlineConfig.SCHEMA_REGISTRY_URL, "https://svc:url-secret@registry:8081"));

        assertThat(config.toString())
                .doesNotContain("secret")
                .contains("kafka.security.protocol=SASL_SSL", "kafka.sasl.jaas.config=[hidden]",
                        "kafka.ssl.truststore.password=[hidden]", "basic.auth.user.info=[hidden]",
                        "schema.registry.url=https://[hidden]@registry:8081");
    }

    @Test
    void shouldDocumentEveryKeyInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (ConfigDef.ConfigKey key : DriftlineConfig.definition().configKeys().values()) {
            assertThat(readme).as("README configuration table lists %s", key.name).contains("| `" + key.name + "` |");
        }
    }
}
