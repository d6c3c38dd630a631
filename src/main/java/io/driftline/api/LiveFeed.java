package io.driftline.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftline.avro.Alert;
import io.driftline.avro.ModelStatus;
import io.driftline.topology.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert and model-status streams of the whole deployment, for the dashboard: a consumer outside
 * any group (every instance sees every partition) reading committed records only, starting a little
 * before the end so that a page opened late still shows recent history. It keeps the latest alerts
 * and each model's recent statuses, and pushes every new one to the listeners (the dashboard's
 * server-sent-event streams). A record it cannot decode is skipped here: the feed only displays,
 * and the topology owns dead-lettering.
 */
public final class LiveFeed implements AutoCloseable {

    /** One record of the feed: {@code kind} is "alert" or "status"; {@code json} the record as JSON. */
    public record Event(String kind, ObjectNode json) {
    }

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    static final int RECENT_ALERTS = 500;
    static final int STATUS_HISTORY = 720;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Thread thread;
    private final Deque<ObjectNode> alerts = new ArrayDeque<>();
    private final Map<String, Deque<ObjectNode>> statuses = new HashMap<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    LiveFeed(Map<String, Object> clientSettings, Topics topics) {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.thread = new Thread(this::run, "driftline-live-feed");
        this.thread.setDaemon(true);
    }

    /** Starts following the alert and model-status topics named in {@code topics}. */
    public static LiveFeed start(Map<String, Object> clientSettings, Topics topics) {
        LiveFeed feed = new LiveFeed(clientSettings, topics);
        feed.thread.start();
        return feed;
    }

    /** The recent alerts (oldest first) and each model's recent statuses; then every new event, to {@code listener}. */
    public synchronized List<Event> subscribe(Consumer<Event> listener) {
        List<Event> history = new ArrayList<>();
        statuses.values().forEach(model -> model.forEach(status -> history.add(new Event("status", status))));
        alerts.forEach(alert -> history.add(new Event("alert", alert)));
        listeners.add(listener);
        return history;
    }

    public void unsubscribe(Consumer<Event> listener) {
        listeners.remove(listener);
    }

    /** The recent alerts, oldest first. */
    public synchronized List<ObjectNode> recentAlerts() {
        return List.copyOf(alerts);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.alerts().name(), topics.modelStatus().name())) {
                consumer.partitionsFor(topic, Duration.ofSeconds(60))
                        .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - RECENT_ALERTS));
            }
            Deserializer<Alert> alertDecoder = topics.alerts().valueSerde().deserializer();
            Deserializer<ModelStatus> statusDecoder = topics.modelStatus().valueSerde().deserializer();
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        if (record.topic().equals(topics.alerts().name())) {
                            alert(JsonRecords.toJson(
                                    alertDecoder.deserialize(record.topic(), record.headers(), record.value())));
                        } else {
                            publish(new Event("status", JsonRecords.toJson(
                                    statusDecoder.deserialize(record.topic(), record.headers(), record.value()))));
                        }
                    } catch (RuntimeException e) {
                        log.warn("Live feed skips {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                                e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            log.debug("Live feed stopped");
        } catch (RuntimeException e) {
            log.error("Live feed stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Keeps an alert among the recent ones and sends it to the subscribers. */
    void alert(ObjectNode json) {
        publish(new Event("alert", json));
    }

    private void publish(Event event) {
        synchronized (this) {
            if (event.kind().equals("alert")) {
                alerts.addLast(event.json());
                if (alerts.size() > RECENT_ALERTS) {
                    alerts.removeFirst();
                }
            } else {
                Deque<ObjectNode> history = statuses.computeIfAbsent(event.json().get("modelKey").asText(),
                        key -> new ArrayDeque<>());
                history.addLast(event.json());
                if (history.size() > STATUS_HISTORY) {
                    history.removeFirst();
                }
            }
        }
        for (Consumer<Event> listener : listeners) {
            listener.accept(event);
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
