package io.driftline.config;

import io.driftline.registry.AvroSerdeConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How a setting may appear in a log line. Secrets are recognised as Kafka's own configs recognise
 * them, by the key's {@link ConfigDef.Type#PASSWORD} type: a pass-through {@code kafka.} key is
 * looked up in the producer's, consumer's, admin client's and Kafka Streams' definitions (also
 * under Kafka Streams' {@code producer.}, {@code main.consumer.}, ... prefixes), a registry key in
 * {@link AvroSerdeConfig}'s, Driftline's own in {@link DriftlineConfig}'s. A key none of them
 * defines (a plug-in's, a misspelling) is treated as secret when its name says so, since its type
 * cannot be known.
 */
public final class SecretSettings {

    private static final List<ConfigDef> DEFINITIONS = List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
            AdminClientConfig.configDef(), StreamsConfig.configDef(), AvroSerdeConfig.definition(),
            DriftlineConfig.definition());
    private static final Set<String> KNOWN = new HashSet<>();
    private static final Set<String> PASSWORDS = new HashSet<>();
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "jaas", "user.info",
            "credential");

    static {
        for (ConfigDef definition : DEFINITIONS) {
            definition.configKeys().values().forEach(key -> {
                KNOWN.add(key.name);
                if (key.type == ConfigDef.Type.PASSWORD) {
                    PASSWORDS.add(key.name);
                }
            });
        }
    }

    private SecretSettings() {
    }

    /** Whether {@code key}'s value must never be logged. */
    public static boolean isSecret(String key) {
        String clientKey = clientKey(key);
        if (KNOWN.contains(clientKey)) {
            return PASSWORDS.contains(clientKey);
        }
        String lower = clientKey.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /** {@code value} as it may be logged: {@code [hidden]} for a secret, registry URLs without their credentials. */
    public static String shown(String key, Object value) {
        if (isSecret(key)) {
            return Password.HIDDEN;
        }
        String text = String.valueOf(value);
        return key.equals(DriftlineConfig.SCHEMA_REGISTRY_URL) ? AvroSerdeConfig.mask(text) : text;
    }

    /** The Kafka client's own name of a Driftline key: without {@code kafka.} and a Kafka Streams client prefix. */
    private static String clientKey(String key) {
        String clientKey = key.startsWith(DriftlineConfig.KAFKA_PREFIX)
                ? key.substring(DriftlineConfig.KAFKA_PREFIX.length()) : key;
        for (String prefix : CLIENT_PREFIXES) {
            if (clientKey.startsWith(prefix) && KNOWN.contains(clientKey.substring(prefix.length()))) {
                return clientKey.substring(prefix.length());
            }
        }
        return clientKey;
    }
}
