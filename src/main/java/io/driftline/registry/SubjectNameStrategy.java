package io.driftline.registry;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a serializer names the registry subject a schema is registered under. Configured by name,
 * as Confluent's simple class name or fully qualified class name, so existing client
 * configurations keep working; an unknown name fails at configuration, not at the first record.
 */
public enum SubjectNameStrategy {

    /** {@code <topic>-key} / {@code <topic>-value}: one record type per topic (Confluent's default). */
    TOPIC_NAME("TopicNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one record type shared by many topics, evolving in one place. */
    RECORD_NAME("RecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },
    /** {@code <topic>-<record full name>}: several record types per topic, evolving per topic. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";

    private final String configName;

    SubjectNameStrategy(String configName) {
        this.configName = configName;
    }

    /** The subject for {@code schema} written as key or value of {@code topic}. */
    public abstract String subject(String topic, boolean isKey, Schema schema);

    /** The name used in configuration, e.g. {@code TopicNameStrategy}. */
    public String configName() {
        return configName;
    }

    /** Accepts {@code TopicNameStrategy} as well as {@code io.confluent.kafka.serializers.subject.TopicNameStrategy}. */
    public static SubjectNameStrategy fromConfig(String name) {
        String simple = name.trim().startsWith(CONFLUENT_PACKAGE)
                ? name.trim().substring(CONFLUENT_PACKAGE.length()) : name.trim();
        return Arrays.stream(values())
                .filter(strategy -> strategy.configName.equals(simple))
                .findFirst()
                .orElseThrow(() -> new ConfigException("Unknown subject name strategy '" + name
                        + "'; one of " + configNames()));
    }

    static List<String> configNames() {
        return Stream.of(values()).map(SubjectNameStrategy::configName).toList();
    }
}
