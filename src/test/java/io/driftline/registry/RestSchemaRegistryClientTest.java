package io.driftline.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final Schema POINT = Fixtures.record("Point", "{\"name\":\"x\",\"type\":\"int\"}");
    private static final String POINT_ANSWER = "{\"schema\":" + quoted(POINT.toString()) + "}";

    private final RegistryStub stub = new RegistryStub();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    @Test
    void shouldRetryOn503UntilTheRegistryAnswers() {
        stub.then(503, "{\"error_code\":50301,\"message\":\"busy\"}").then(503, "").then(200, "{\"id\":5}");

        assertThat(client(Map.of()).register("points-value", POINT)).isEqualTo(5);
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void shouldGiveUpAfterTheConfiguredRetries() {
        stub.then(503, "").then(503, "").then(503, "").then(200, "{\"id\":5}");

        assertThatThrownBy(() -> client(Map.of(AvroSerdeConfig.MAX_RETRIES, 1)).register("points-value", POINT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.isRetriable()).isTrue();
                })
                .hasMessageContaining("2 attempt(s)");
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void shouldNeverRetryA4xxAndSurfaceTheRegistryError() {
        stub.then(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}")
                .then(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}")
                .then(200, "{\"id\":5}");

        assertThatThrownBy(() -> client(Map.of()).register("points-value", POINT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.isRetriable()).isFalse();
                })
                .hasMessageContaining("Schema being registered is incompatible");
        assertThat(stub.requests()).as("the registration, and the lookup that does not find it").hasSize(2);
        assertThat(stub.requests().get(1).pathAndQuery()).endsWith("/subjects/points-value");
    }

    /** Apicurio's answer to the loser of two first registrations racing: the schema is there, by the other writer. */
    @Test
    void shouldTakeTheIdOfTheSchemaAConcurrentWriterRegisteredFirst() {
        stub.then(409, "{\"error_code\":409,\"message\":\"An artifact with ID 'points-value' in group 'null' "
                        + "already exists.\"}")
                .then(200, "{\"subject\":\"points-value\",\"id\":7,\"version\":1,\"schema\":"
                        + quoted(POINT.toString()) + "}");

        SchemaRegistryClient client = client(Map.of());
        assertThat(client.register("points-value", POINT)).isEqualTo(7);
        assertThat(client.register("points-value", POINT)).as("cached").isEqualTo(7);
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void shouldSurfaceANonJsonErrorPage() {
        stub.then(404, "<html><body>Not Found</body></html>");

        assertThatThrownBy(() -> client(Map.of()).getById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isZero();
                })
                .hasMessageContaining("Not Found");
    }

    @Test
    void shouldFailOverToTheNextUrlWhenOneIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        stub.then(200, "{\"id\":5}").then(200, "{\"id\":6}");
        SchemaRegistryClient client = client(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                "http://127.0.0.1:" + closedPort + "," + stub.url()));

        assertThat(client.register("a", POINT)).isEqualTo(5);
        assertThat(client.register("b", POINT)).isEqualTo(6);
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void shouldSendTheSchemaWithTheRegistryContentType() {
        stub.then(200, "{\"id\":5}");

        client(Map.of()).register("my subject/value", POINT);

        RegistryStub.Request request = stub.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.pathAndQuery()).isEqualTo("/subjects/my%20subject%2Fvalue/versions");
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.body()).isEqualTo("{\"schema\":" + quoted(POINT.toString()) + "}");
    }

    @Test
    void shouldSendBasicCredentialsFromUserInfo() {
        stub.then(200, POINT_ANSWER);

        client(Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "alice:s3cret")).getById(1);

        assertThat(stub.requests().get(0).header("Authorization")).isEqualTo("Basic " + base64("alice:s3cret"));
    }

    @Test
    void shouldSendBasicCredentialsFromTheUrlWithoutPuttingThemInTheUrl() {
        stub.then(200, POINT_ANSWER);
        String url = stub.url().replace("//", "//bob:p%40ss@");

        client(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url)).getById(1);

        assertThat(stub.requests().get(0).header("Authorization")).isEqualTo("Basic " + base64("bob:p@ss"));
    }

    @Test
    void shouldSendABearerToken() {
        stub.then(200, POINT_ANSWER);

        client(Map.of(AvroSerdeConfig.BEARER_AUTH_TOKEN, "tok3n")).getById(1);

        assertThat(stub.requests().get(0).header("Authorization")).isEqualTo("Bearer tok3n");
    }

    @Test
    void shouldRefuseBearerAndBasicTogether() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stub.url(),
                AvroSerdeConfig.BEARER_AUTH_TOKEN, "t", AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "a:b")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldNeverShowSecrets() {
        Map<String, Object> settings = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://bob:url-secret@registry:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL");
        AvroSerdeConfig basic = new AvroSerdeConfig(settings);
        AvroSerdeConfig bearer = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "https://registry",
                AvroSerdeConfig.BEARER_AUTH_TOKEN, "token-secret"));

        assertThat(basic.toString()).doesNotContain("url-secret").doesNotContain("bob").contains("registry:8081");
        assertThat(basic.createClient().toString()).doesNotContain("url-secret").contains("Basic auth");
        assertThat(bearer.toString()).doesNotContain("token-secret").contains("[hidden]");
        assertThat(bearer.createClient().toString()).doesNotContain("token-secret").contains("Bearer auth");
    }

    @Test
    void shouldCacheSchemasByIdAndIdsBySubjectAndSchema() {
        stub.then(200, POINT_ANSWER).then(200, "{\"id\":5}");
        SchemaRegistryClient client = client(Map.of());

        assertThat(client.getById(1)).isEqualTo(POINT);
        assertThat(client.getById(1)).isEqualTo(POINT);
        assertThat(client.register("points-value", POINT)).isEqualTo(5);
        assertThat(client.register("points-value", POINT)).isEqualTo(5);
        assertThat(client.getById(5)).isEqualTo(POINT);
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void shouldReadVersionsAndLookups() {
        stub.then(200, "{\"subject\":\"p\",\"id\":5,\"version\":2,\"schema\":" + quoted(POINT.toString()) + "}")
                .then(200, "{\"subject\":\"p\",\"id\":5,\"version\":2,\"schema\":" + quoted(POINT.toString()) + "}")
                .then(200, "[\"b\",\"a\"]");
        SchemaRegistryClient client = client(Map.of());

        assertThat(client.getLatest("p")).isEqualTo(new RegisteredSchema("p", 5, 2, POINT));
        assertThat(client.lookup("p", POINT)).isEqualTo(new RegisteredSchema("p", 5, 2, POINT));
        assertThat(client.subjects()).containsExactly("a", "b");
        assertThat(stub.requests()).extracting(RegistryStub.Request::pathAndQuery)
                .containsExactly("/subjects/p/versions/latest", "/subjects/p", "/subjects");
    }

    @Test
    void shouldReadCompatibilityVerdictsOfConfluentAndApicurio() {
        stub.then(200, "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE\"]}")
                .then(200, "{\"is_compatible\":false,\"reason\":\"Incompatible artifact: x at /fields/0\"}")
                .then(404, "{\"error_code\":40402,\"message\":\"No version 'latest' found\"}");
        SchemaRegistryClient client = client(Map.of());

        assertThat(client.testCompatibility("p", POINT))
                .isEqualTo(new CompatibilityResult(false, java.util.List.of("READER_FIELD_MISSING_DEFAULT_VALUE")));
        assertThat(client.testCompatibility("p", POINT).messages()).containsExactly("Incompatible artifact: x at /fields/0");
        assertThat(client.testCompatibility("new-subject", POINT).compatible()).isTrue();
        assertThat(stub.requests().get(0).pathAndQuery())
                .isEqualTo("/compatibility/subjects/p/versions/latest?verbose=true");
    }

    @Test
    void shouldReadAndSetCompatibilityLevels() {
        stub.then(200, "{\"compatibilityLevel\":\"FULL\"}")
                .then(404, "{\"error_code\":40408,\"message\":\"not configured\"}")
                .then(200, "{\"compatibilityLevel\":\"BACKWARD\"}")
                .then(200, "{\"compatibility\":\"NONE\"}");
        SchemaRegistryClient client = client(Map.of());

        assertThat(client.getCompatibility()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.getCompatibility("p")).isEqualTo(CompatibilityLevel.BACKWARD);
        client.setCompatibility("p", CompatibilityLevel.NONE);

        assertThat(stub.requests()).extracting(r -> r.method() + " " + r.pathAndQuery())
                .containsExactly("GET /config", "GET /config/p?defaultToGlobal=true", "GET /config", "PUT /config/p");
        assertThat(stub.requests().get(3).body()).isEqualTo("{\"compatibility\":\"NONE\"}");
    }

    @Test
    void shouldReportANonAvroSchemaAsInvalid() {
        stub.then(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");

        assertThatThrownBy(() -> client(Map.of()).getById(3))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA))
                .hasMessageContaining("PROTOBUF");
    }

    private SchemaRegistryClient client(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stub.url());
        settings.put(AvroSerdeConfig.RETRY_BACKOFF_MS, 1L);
        settings.put(AvroSerdeConfig.RETRY_BACKOFF_MAX_MS, 4L);
        settings.put(AvroSerdeConfig.REQUEST_TIMEOUT_MS, 2_000);
        settings.putAll(overrides);
        return new AvroSerdeConfig(settings).createClient();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
