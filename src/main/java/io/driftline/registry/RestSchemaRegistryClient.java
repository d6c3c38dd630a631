package io.driftline.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API (Confluent Schema Registry, Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, ...), on the JDK's HTTP client.
 *
 * <p>Caches what cannot change: schemas by id (forever: ids are immutable) and ids by (subject,
 * schema). Latest versions and compatibility settings are always fetched. A request that gets no
 * answer or a 5xx fails over to the next URL and, once all failed, is repeated after an
 * exponential backoff ({@link RetryPolicy}); a 4xx is the registry's final word and never repeated.
 * TLS uses the given {@code SSLContext} (built from {@code schema.registry.ssl.*}) or the JVM's
 * default one.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int MAX_ERROR_BODY_CHARS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    private final List<RegistryEndpoint> endpoints;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final HttpClient http;
    /** The endpoint that answered last: later requests start there instead of at a dead first URL. */
    private final AtomicInteger preferred = new AtomicInteger();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, RegisteredSchema> lookups = new ConcurrentHashMap<>();

    /** @param sslContext TLS for https endpoints; null: the JVM's default (its trust store, no client certificate) */
    public RestSchemaRegistryClient(List<RegistryEndpoint> endpoints, RetryPolicy retryPolicy, Duration requestTimeout,
                                    SSLContext sslContext) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one registry endpoint is required");
        }
        this.endpoints = List.copyOf(endpoints);
        this.retryPolicy = retryPolicy;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: the h2c upgrade the JDK would otherwise attempt on http:// confuses some proxies.
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout);
        if (sslContext != null) {
            http.sslContext(sslContext);
        }
        this.http = http.build();
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() != 409) {
                throw e;
            }
            /*
             * Apicurio answers 409 ("already exists") to the loser of two first registrations of a
             * subject racing (a producer and the application starting together): the schema is
             * registered, by the other. An incompatible schema, Confluent's 409, is not found.
             */
            try {
                return lookup(subject, schema).id();
            } catch (SchemaRegistryException notRegistered) {
                e.addSuppressed(notRegistered);
                throw e;
            }
        }
        int id = requiredInt(answer, "id");
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        RegisteredSchema cached = lookups.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        RegisteredSchema found = new RegisteredSchema(subject, requiredInt(answer, "id"),
                requiredInt(answer, "version"), schema);
        lookups.put(key, found);
        idsBySubjectSchema.put(key, found.id());
        schemasById.putIfAbsent(found.id(), schema);
        return found;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parseSchema(send("GET", "/schemas/ids/" + id, null), "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return version(subject, "latest");
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return version(subject, Integer.toString(version));
    }

    private RegisteredSchema version(String subject, String version) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
        int id = requiredInt(answer, "id");
        Schema schema = schemasById.computeIfAbsent(id, ignored -> parseSchema(answer, subject + " version " + version));
        return new RegisteredSchema(subject, id, requiredInt(answer, "version"), schema);
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        JsonNode answer;
        try {
            answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    schemaBody(schema));
        } catch (SchemaRegistryException e) {
            if (e.isSubjectOrVersionNotFound()) {
                return CompatibilityResult.ofCompatible();
            }
            throw e;
        }
        List<String> messages = new ArrayList<>();
        // Confluent answers "messages": [...]; Apicurio "reason" (a string, or a list in some versions).
        for (String field : List.of("messages", "reason")) {
            JsonNode node = answer.path(field);
            if (node.isArray()) {
                node.forEach(message -> messages.add(message.asText()));
            } else if (node.isTextual() && !node.asText().isEmpty()) {
                messages.add(node.asText());
            }
        }
        return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), messages);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return compatibilityLevel(send("GET", "/config", null));
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        try {
            return compatibilityLevel(send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null));
        } catch (SchemaRegistryException e) {
            // Registries that ignore defaultToGlobal answer 404 for a subject without its own level.
            if (e.httpStatus() == 404) {
                return getCompatibility();
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", Map.of("compatibility", level.name()));
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + encode(subject), Map.of("compatibility", level.name()));
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(subject -> subjects.add(subject.asText()));
        subjects.sort(null);
        return subjects;
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + endpoints;
    }

    /** One request with failover and retries; the answer's JSON body (NullNode when empty). */
    private JsonNode send(String method, String path, Object body) {
        byte[] payload = body == null ? null : toJson(body);
        SchemaRegistryException last = null;
        int attempts = 0;
        for (int retry = 0; ; retry++) {
            int start = preferred.get();
            for (int i = 0; i < endpoints.size(); i++) {
                int index = (start + i) % endpoints.size();
                attempts++;
                try {
                    JsonNode answer = attempt(endpoints.get(index), method, path, payload);
                    preferred.set(index);
                    return answer;
                } catch (SchemaRegistryException e) {
                    if (!e.isRetriable() || Thread.currentThread().isInterrupted()) {
                        throw e;
                    }
                    log.debug("Schema registry request failed: {}", e.getMessage());
                    last = e;
                }
            }
            if (retry >= retryPolicy.maxRetries()) {
                throw new SchemaRegistryException(last.httpStatus(), last.errorCode(),
                        method + " " + path + " failed after " + attempts + " attempt(s) on " + endpoints
                                + "; last: " + last.getMessage(), last);
            }
            Duration pause = retryPolicy.backoff(retry);
            log.warn("Schema registry unavailable ({}); retrying in {} ms", last.getMessage(), pause.toMillis());
            sleep(pause);
        }
    }

    private JsonNode attempt(RegistryEndpoint endpoint, String method, String path, byte[] payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        endpoint.authorization().ifPresent(value -> request.header("Authorization", value));
        if (payload == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
        }
        String what = method + " " + endpoint.baseUri() + path;
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SchemaRegistryException(what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(what + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return parseJson(response.body(), what);
        }
        throw error(what, status, response.body());
    }

    private static SchemaRegistryException error(String what, int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.has("error_code")) {
                return new SchemaRegistryException(status, json.path("error_code").asInt(),
                        what + ": HTTP " + status + ": " + json.path("message").asText(""));
            }
        } catch (IOException notJson) {
            // A proxy or servlet error page: report its beginning below.
        }
        String excerpt = text.length() > MAX_ERROR_BODY_CHARS ? text.substring(0, MAX_ERROR_BODY_CHARS) + "..." : text;
        return new SchemaRegistryException(status, 0, what + ": HTTP " + status + ": " + excerpt.strip());
    }

    private static JsonNode parseJson(byte[] body, String what) {
        if (body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(200, 0, what + ": answer is not JSON: " + e.getMessage(), e);
        }
    }

    private static Schema parseSchema(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
                    what + " is a " + type + " schema, not Avro");
        }
        try {
            return new Schema.Parser().parse(answer.path("schema").asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(200, SchemaRegistryException.INVALID_SCHEMA,
                    what + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private static CompatibilityLevel compatibilityLevel(JsonNode answer) {
        String level = answer.path("compatibilityLevel").asText(answer.path("compatibility").asText());
        try {
            return CompatibilityLevel.valueOf(level);
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException(200, 0, "unknown compatibility level '" + level + "'", e);
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode node = answer.path(field);
        if (!node.canConvertToInt()) {
            throw new SchemaRegistryException(200, 0, "registry answer lacks '" + field + "': " + answer);
        }
        return node.asInt();
    }

    private static Map<String, String> schemaBody(Schema schema) {
        // No "schemaType": AVRO is the default and older registries reject the field.
        return Map.of("schema", schema.toString());
    }

    private static byte[] toJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while waiting to retry", e);
        }
    }
}
