package io.driftline.registry;

import io.driftline.tls.StoreFile;
import io.driftline.tls.TlsContexts;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the registry client and the Avro serdes, defined once. Key names are
 * Confluent's, so a configuration written for Confluent's serdes works unchanged; Driftline's own
 * additions start with {@code schema.registry.} so they travel with the URL.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** {@code mock://<scope>}: the in-memory registry shared by everything configured with that scope. */
    public static final String MOCK_SCHEME = "mock";

    public static final String CREDENTIALS_FROM_USER_INFO = "USER_INFO";
    public static final String CREDENTIALS_FROM_URL = "URL";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, "", Importance.HIGH,
                    "Schema registry base URL(s), comma-separated (required unless the serde was given a "
                            + "client); requests fail over to the next on "
                            + "connection errors and 5xx. https trusts the JVM's trust store unless "
                            + SSL_TRUSTSTORE_LOCATION + " is set. "
                            + "mock://<scope> selects an in-memory registry shared per scope (tests).")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, CREDENTIALS_FROM_URL,
                    ValidString.in(CREDENTIALS_FROM_USER_INFO, CREDENTIALS_FROM_URL), Importance.MEDIUM,
                    "Where HTTP Basic credentials come from: USER_INFO (basic.auth.user.info) or URL "
                            + "(user:password@ in the registry URL; none if absent).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, "", Importance.MEDIUM,
                    "user:password for HTTP Basic authentication, with basic.auth.credentials.source=USER_INFO.")
            .define(BEARER_AUTH_TOKEN, Type.PASSWORD, "", Importance.MEDIUM,
                    "Static bearer token sent as 'Authorization: Bearer <token>'; excludes Basic credentials.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serializers register the record's schema if the subject lacks it. Off: the schema "
                            + "must already be registered (production, where producers must not evolve schemas).")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW,
                    "Serializers write with the subject's latest registered schema (looked up once per "
                            + "serializer), resolving each record into it by field name. Use with "
                            + "auto.register.schemas=false.")
            .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC_NAME.configName(),
                    AvroSerdeConfig::validateStrategy, Importance.LOW,
                    "Subject naming for keys: " + SubjectNameStrategy.configNames() + ".")
            .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC_NAME.configName(),
                    AvroSerdeConfig::validateStrategy, Importance.LOW,
                    "Subject naming for values: " + SubjectNameStrategy.configNames() + ".")
            .define(MAX_RETRIES, Type.INT, 3, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Repetitions of a registry request after connection errors or 5xx answers (never after 4xx).")
            .define(RETRY_BACKOFF_MS, Type.LONG, 100L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Pause before the first repetition; doubles on each further one.")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Longest pause between repetitions.")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Time limit of one HTTP request to the registry (also the connect timeout).")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                    "Trust store holding the certificates (e.g. a private CA) trusted for an https registry; "
                            + "empty: the JVM's trust store.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the trust store (optional for reading certificates).")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                    "Type of the trust store: JKS or PKCS12 (either reads both formats).")
            .define(SSL_KEYSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                    "Key store with the client's key and certificate, for a registry that requires mutual TLS; "
                            + "empty: no client certificate.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the key store.")
            .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                    "Type of the key store: JKS or PKCS12 (either reads both formats).")
            .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the client's key in the key store; unset: the key store's password.");

    public AvroSerdeConfig(Map<String, ?> originals) {
        // doLog=false: AbstractConfig's INFO dump of every value is noise in a serde configured per topic.
        super(DEFINITION, originals, false);
        if (!getPassword(BEARER_AUTH_TOKEN).value().isEmpty() && hasBasicCredentials()) {
            throw new ConfigException("Configure either " + BEARER_AUTH_TOKEN + " or Basic credentials, not both");
        }
        if (isMock() && getList(SCHEMA_REGISTRY_URL).size() != 1) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, getList(SCHEMA_REGISTRY_URL),
                    "a mock:// URL cannot be combined with others");
        }
        endpoints(); // validates the URLs and credentials now rather than at the first request
        sslContext(); // and the key and trust stores
    }

    /** The definition, for documentation generators and CLI help. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return SubjectNameStrategy.fromConfig(getString(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY));
    }

    /** The client this configuration describes: the shared in-memory one for {@code mock://}, else REST. */
    public SchemaRegistryClient createClient() {
        if (getList(SCHEMA_REGISTRY_URL).isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + SCHEMA_REGISTRY_URL + "\"");
        }
        if (isMock()) {
            return InMemorySchemaRegistryClient.forScope(mockScope(getList(SCHEMA_REGISTRY_URL).get(0)));
        }
        return new RestSchemaRegistryClient(endpoints(), retryPolicy(),
                Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS)), sslContext());
    }

    /** TLS with the configured trust and key stores; null when neither is set (the JVM's defaults). */
    SSLContext sslContext() {
        StoreFile trustStore = StoreFile.configured(this, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD,
                SSL_TRUSTSTORE_TYPE);
        StoreFile keyStore = StoreFile.configured(this, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEYSTORE_TYPE);
        if (trustStore == null && keyStore == null) {
            return null;
        }
        Password keyPassword = getPassword(SSL_KEY_PASSWORD);
        return TlsContexts.create(keyStore, keyPassword == null ? null : keyPassword.value(), trustStore);
    }

    RetryPolicy retryPolicy() {
        long initial = getLong(RETRY_BACKOFF_MS);
        return new RetryPolicy(getInt(MAX_RETRIES), Duration.ofMillis(initial),
                Duration.ofMillis(Math.max(initial, getLong(RETRY_BACKOFF_MAX_MS))));
    }

    /** The registry URLs without credentials, each with the Authorization header it needs. */
    List<RegistryEndpoint> endpoints() {
        if (isMock()) {
            return List.of();
        }
        List<RegistryEndpoint> endpoints = new ArrayList<>();
        for (String url : getList(SCHEMA_REGISTRY_URL)) {
            URI uri = parse(url);
            Optional<String> urlUserInfo = Optional.ofNullable(uri.getRawUserInfo());
            endpoints.add(new RegistryEndpoint(withoutUserInfo(uri), authorization(urlUserInfo)));
        }
        return endpoints;
    }

    private Optional<String> authorization(Optional<String> urlUserInfo) {
        String token = getPassword(BEARER_AUTH_TOKEN).value();
        if (!token.isEmpty()) {
            return Optional.of("Bearer " + token);
        }
        Optional<String> userInfo = CREDENTIALS_FROM_USER_INFO.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))
                ? Optional.of(getPassword(BASIC_AUTH_USER_INFO).value())
                : urlUserInfo.map(AvroSerdeConfig::percentDecode);
        return userInfo.map(info -> {
            if (!info.contains(":")) {
                throw new ConfigException("Basic credentials must have the form user:password (value hidden)");
            }
            return "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8));
        });
    }

    private boolean hasBasicCredentials() {
        return CREDENTIALS_FROM_USER_INFO.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))
                || getList(SCHEMA_REGISTRY_URL).stream().anyMatch(url -> url.contains("@"));
    }

    private boolean isMock() {
        List<String> urls = getList(SCHEMA_REGISTRY_URL);
        return urls.stream().anyMatch(url -> url.trim().startsWith(MOCK_SCHEME + "://"));
    }

    /** The scope of a {@code mock://<scope>} URL; not via URI#getHost, which rejects scopes like "my_test". */
    private static String mockScope(String url) {
        String scope = url.trim().substring((MOCK_SCHEME + "://").length()).replaceAll("/+$", "");
        if (scope.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "mock:// needs a scope name, e.g. mock://my-test");
        }
        return scope;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(SCHEMA_REGISTRY_URL, mask(url), "expected http(s)://host[:port][/path]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, mask(url), "not a URL: " + e.getReason());
        }
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, mask(uri.toString()), e.getReason());
        }
    }

    private static String percentDecode(String userInfo) {
        return URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code url} with any {@code user:password@} replaced, for messages and logs. */
    public static String mask(String url) {
        return url.replaceAll("//[^/@]*@", "//[hidden]@");
    }

    private static void validateStrategy(String name, Object value) {
        if (value == null) {
            throw new ConfigException(name, null, "one of " + SubjectNameStrategy.configNames());
        }
        SubjectNameStrategy.fromConfig(value.toString());
    }

    /** Every setting, secrets and URL credentials hidden: safe to log. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values().forEach((key, value) -> shown.put(key, value == null ? "" : value instanceof Password
                ? (((Password) value).value().isEmpty() ? "" : Password.HIDDEN)
                : SCHEMA_REGISTRY_URL.equals(key) ? mask(String.valueOf(value)) : String.valueOf(value)));
        return "AvroSerdeConfig" + shown;
    }
}
