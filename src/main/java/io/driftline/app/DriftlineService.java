package io.driftline.app;

import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.topology.DriftlineTopology;
import io.driftline.topology.Topics;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the Driftline topology: creates missing topics, starts Kafka Streams, stops it cleanly. */
public final class DriftlineService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DriftlineService.class);

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    private DriftlineService(KafkaStreams streams) {
        this.streams = streams;
    }

    public static DriftlineService start(DriftlineConfig config, Infrastructure infrastructure) {
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(),
                config.getInt(DriftlineConfig.TOPIC_PARTITIONS),
                config.getShort(DriftlineConfig.TOPIC_REPLICATION_FACTOR), Duration.ofSeconds(60));
        Topology topology = DriftlineTopology.build(topics, config.pipeline());
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, infrastructure));
        // A thread that dies on an unexpected error (e.g. the registry is down) is replaced and
        // resumes from the last commit, rather than stopping the application.
        streams.setUncaughtExceptionHandler(error -> {
            log.error("Stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        DriftlineService service = new DriftlineService(streams);
        streams.setStateListener((now, before) -> {
            log.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                service.running.countDown();
            }
        });
        streams.start();
        return service;
    }

    static Properties streamsProperties(DriftlineConfig config, Infrastructure infrastructure) {
        Properties props = new Properties();
        props.putAll(infrastructure.clientSettings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(DriftlineConfig.APPLICATION_ID));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(DriftlineConfig.PROCESSING_GUARANTEE));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(DriftlineConfig.COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(DriftlineConfig.NUM_STREAM_THREADS));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.getInt(DriftlineConfig.NUM_STANDBY_REPLICAS));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getShort(DriftlineConfig.TOPIC_REPLICATION_FACTOR));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams").toAbsolutePath().toString());
        // Driftline has no global tables; opting in now silences the 5.0 migration warning.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return props;
    }

    /** Waits until Kafka Streams is RUNNING (all tasks assigned and restored). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
