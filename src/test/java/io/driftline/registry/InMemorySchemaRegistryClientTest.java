package io.driftline.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private static final Schema V1 = Fixtures.record("Point", "{\"name\":\"x\",\"type\":\"int\"}");
    private static final Schema V2 = Fixtures.record("Point",
            "{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
    private static final Schema WITHOUT_DEFAULT = Fixtures.record("Point",
            "{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"y\",\"type\":\"int\"}");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldAssignIdsRegistryWideAndVersionsPerSubject() {
        int first = registry.register("a", V1);
        int second = registry.register("a", V2);

        assertThat(registry.register("a", V1)).isEqualTo(first);
        assertThat(registry.register("b", V1)).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(registry.getLatest("a")).isEqualTo(new RegisteredSchema("a", second, 2, V2));
        assertThat(registry.getVersion("a", 1)).isEqualTo(new RegisteredSchema("a", first, 1, V1));
        assertThat(registry.lookup("b", V1).version()).isEqualTo(1);
        assertThat(registry.getById(second)).isEqualTo(V2);
        assertThat(registry.subjects()).containsExactly("a", "b");
    }

    @Test
    void shouldRefuseABackwardIncompatibleSchema() {
        registry.register("a", V1);

        assertThat(registry.testCompatibility("a", WITHOUT_DEFAULT).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register("a", WITHOUT_DEFAULT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409))
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(registry.testCompatibility("a", V2).compatible()).isTrue();
    }

    @Test
    void shouldApplyTheSubjectsOwnLevel() {
        registry.register("a", V1);
        registry.setCompatibility("a", CompatibilityLevel.NONE);

        assertThat(registry.register("a", WITHOUT_DEFAULT)).isPositive();
        assertThat(registry.getCompatibility("a")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(registry.getCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void shouldAnswerMissingThingsWithConfluentErrorCodes() {
        registry.register("a", V1);

        assertThatThrownBy(() -> registry.getById(99)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        assertThatThrownBy(() -> registry.getLatest("nope")).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.isSubjectOrVersionNotFound()).isTrue());
        assertThatThrownBy(() -> registry.getVersion("a", 2)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
        assertThatThrownBy(() -> registry.lookup("a", V2)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(404));
    }

    @Test
    void shouldShareOneRegistryPerMockScopeUntilDropped() {
        SchemaRegistryClient one = new AvroSerdeConfig(Fixtures.mockConfig("shared_scope")).createClient();
        SchemaRegistryClient two = new AvroSerdeConfig(Fixtures.mockConfig("shared_scope")).createClient();
        int id = one.register("a", V1);

        assertThat(two.getById(id)).isEqualTo(V1);
        InMemorySchemaRegistryClient.dropScope("shared_scope");
        assertThat(new AvroSerdeConfig(Fixtures.mockConfig("shared_scope")).createClient().subjects()).isEmpty();
    }

    @Test
    void shouldRejectAMockUrlMixedWithOthers() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                "mock://a,http://localhost:8081"))).isInstanceOf(ConfigException.class);
    }
}
