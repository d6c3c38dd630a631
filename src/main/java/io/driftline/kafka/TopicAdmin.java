package io.driftline.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates Driftline's topics when missing and waits until they can be produced to. */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /**
     * Creates the missing topics and waits until every partition of every topic has a leader:
     * producing right after creation has lost records on this Kafka version otherwise.
     */
    public static void ensureTopics(Map<String, Object> clientSettings, Collection<String> topics,
                                    int partitions, short replicationFactor, Duration timeout) {
        try (Admin admin = Admin.create(withTimeouts(clientSettings))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(topic -> !existing.contains(topic))
                    .distinct()
                    .map(topic -> new NewTopic(topic, partitions, replicationFactor))
                    .toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, topics, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics", e.getCause());
        }
    }

    private static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
                boolean ready = descriptions.values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (ready && logsExist(admin, descriptions)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topics " + topics, e.getCause());
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("topics " + topics + " have no leader after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Whether each partition's leader has created the partition's log. A leader known to the
     * metadata but not yet to the broker's replica manager answers NOT_LEADER_OR_FOLLOWER, and an
     * idempotent producer with several batches in flight can then wedge itself on
     * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (a Kafka bug seen here after creating
     * topics). Where describing log directories is not authorised, the leaders alone must do.
     */
    private static boolean logsExist(Admin admin, Map<String, TopicDescription> descriptions)
            throws InterruptedException {
        Map<Integer, Set<TopicPartition>> byLeader = new HashMap<>();
        descriptions.values().forEach(description -> description.partitions().forEach(partition ->
                byLeader.computeIfAbsent(partition.leader().id(), id -> new HashSet<>())
                        .add(new TopicPartition(description.name(), partition.partition()))));
        try {
            Map<Integer, Map<String, LogDirDescription>> logDirs = admin.describeLogDirs(byLeader.keySet())
                    .allDescriptions().get();
            return byLeader.entrySet().stream().allMatch(leader -> {
                Set<TopicPartition> hosted = new HashSet<>();
                logDirs.getOrDefault(leader.getKey(), Map.of()).values()
                        .forEach(dir -> hosted.addAll(dir.replicaInfos().keySet()));
                return hosted.containsAll(leader.getValue());
            });
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterAuthorizationException) {
                return true;
            }
            throw new IllegalStateException("cannot describe log directories", e.getCause());
        }
    }

    /**
     * Each topic's effective {@code retention.ms} (-1: unlimited): how old a record's timestamp may
     * be before the broker deletes it.
     */
    public static Map<String, Long> retentionMs(Map<String, Object> clientSettings, Collection<String> topics) {
        try (Admin admin = Admin.create(withTimeouts(clientSettings))) {
            List<ConfigResource> resources = topics.stream().distinct()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            Map<String, Long> retention = new HashMap<>();
            admin.describeConfigs(resources).all().get().forEach((resource, config) ->
                    retention.put(resource.name(), Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value())));
            return retention;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the configuration of " + topics, e.getCause());
        }
    }

    /**
     * The bytes {@code topic} holds: the sizes of its partitions' logs, each partition counted once
     * (its largest replica). Records are stored as their producers' batches, compressed or not.
     */
    public static long logBytes(Map<String, Object> clientSettings, String topic) {
        try (Admin admin = Admin.create(withTimeouts(clientSettings))) {
            Set<Integer> brokers = new HashSet<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(partition -> partition.replicas().forEach(replica -> brokers.add(replica.id())));
            Map<TopicPartition, Long> sizes = new HashMap<>();
            admin.describeLogDirs(brokers).allDescriptions().get().values().forEach(dirs -> dirs.values()
                    .forEach(dir -> dir.replicaInfos().forEach((partition, replica) -> {
                        if (partition.topic().equals(topic)) {
                            sizes.merge(partition, replica.size(), Math::max);
                        }
                    })));
            return sizes.values().stream().mapToLong(Long::longValue).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the logs of " + topic, e.getCause());
        }
    }

    private static Map<String, Object> withTimeouts(Map<String, Object> clientSettings) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return settings;
    }
}
