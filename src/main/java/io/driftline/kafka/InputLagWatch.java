package io.driftline.kafka;

import io.driftline.topology.InputLag;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells from the broker when each device-stage partition has nothing left to read: the
 * application's committed offsets of the readings and maintenance topics have reached their ends
 * (the last stable offsets: the application reads committed records only). Asked every commit
 * interval, as committed offsets move no more often. The time an answer holds as of is taken
 * before the ends are read, so that every input routed before it is covered: a partition whose
 * replay ended is idle within about two commit intervals, not after a guess of the wall clock.
 * A partition the application never committed reads from its start (Kafka Streams resets to the
 * earliest offset), so it has nothing left when its start is its end, e.g. one no device hashes to.
 */
public final class InputLagWatch implements InputLag, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InputLagWatch.class);
    private static final int TIMEOUT_MS = 10_000;

    private final Admin admin;
    private final String applicationId;
    private final Collection<String> topics;
    private final ScheduledExecutorService timer;
    private volatile Map<Integer, Long> caughtUp = Map.of();
    private List<TopicPartition> partitions;
    private boolean failing;

    private InputLagWatch(Admin admin, String applicationId, Collection<String> topics) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.topics = List.copyOf(topics);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "driftline-input-lag");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Asks every {@code interval} whether the partitions of {@code topics} are read to their ends by {@code applicationId}. */
    public static InputLagWatch start(Map<String, Object> clientSettings, String applicationId, Collection<String> topics,
                                      Duration interval) {
        InputLagWatch watch = new InputLagWatch(Admin.create(clientSettings), applicationId, topics);
        watch.timer.scheduleWithFixedDelay(watch::ask, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    @Override
    public long caughtUpAsOf(int partition) {
        return caughtUp.getOrDefault(partition, Long.MIN_VALUE);
    }

    private void ask() {
        long asOf = System.currentTimeMillis();
        try {
            if (partitions == null) {
                partitions = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).values()
                        .stream().flatMap(topic -> topic.partitions().stream()
                                .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                        .toList();
            }
            Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<TopicPartition> neverCommitted = partitions.stream().filter(tp -> committed.get(tp) == null).toList();
            Map<TopicPartition, Long> starts = neverCommitted.isEmpty() ? Map.of()
                    : offsets(neverCommitted, OffsetSpec.earliest());
            Map<Integer, Boolean> read = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata offset = committed.get(tp);
                long position = offset == null ? starts.get(tp) : offset.offset();
                read.merge(tp.partition(), position >= ends.get(tp), Boolean::logicalAnd);
            }
            Map<Integer, Long> next = new HashMap<>();
            read.forEach((partition, done) -> {
                if (done) {
                    next.put(partition, asOf);
                }
            });
            caughtUp = Map.copyOf(next);
            failing = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Earlier answers stay: each holds only as of its own time, so it cannot cover later inputs.
            if (!failing) {
                log.warn("Cannot tell whether the device stage's partitions are read to their ends (idle partitions "
                        + "are told by order.max.delay.ms meanwhile): {}", e.toString());
            }
            failing = true;
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(request,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
