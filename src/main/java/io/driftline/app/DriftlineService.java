package io.driftline.app;

import io.driftline.api.DeviceHistory;
import io.driftline.api.HttpApi;
import io.driftline.api.JsonMappers;
import io.driftline.api.LiveFeed;
import io.driftline.api.ModelCommands;
import io.driftline.api.ModelDirectory;
import io.driftline.config.DriftlineConfig;
import io.driftline.metrics.DriftlineMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.driftline.kafka.InputLagWatch;
import io.driftline.kafka.TopicAdmin;
import io.driftline.topology.DriftlineTopology;
import io.driftline.topology.InputLag;
import io.driftline.topology.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Driftline instance: creates missing topics, starts the HTTP API (health, metrics, models,
 * dashboard) and Kafka Streams, and stops them cleanly in the reverse order.
 */
public final class DriftlineService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DriftlineService.class);

    private final KafkaStreams streams;
    private final PrometheusMeterRegistry meters;
    private final List<AutoCloseable> resources;
    private final HttpApi http;
    private final CountDownLatch running = new CountDownLatch(1);

    private DriftlineService(KafkaStreams streams, PrometheusMeterRegistry meters, HttpApi http,
                             List<AutoCloseable> resources) {
        this.streams = streams;
        this.meters = meters;
        this.http = http;
        this.resources = resources;
    }

    public static DriftlineService start(DriftlineConfig config, Infrastructure infrastructure) {
        return start(config, infrastructure, null);
    }

    /**
     * As {@link #start(DriftlineConfig, Infrastructure)}, with Kafka Streams' clients from {@code clients}
     * (the soak bench times commits with them); null: Kafka Streams' own.
     */
    public static DriftlineService start(DriftlineConfig config, Infrastructure infrastructure,
                                         KafkaClientSupplier clients) {
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        TopicAdmin.ensureTopics(infrastructure.clientSettings(), topics.names(),
                config.getInt(DriftlineConfig.TOPIC_PARTITIONS),
                config.getShort(DriftlineConfig.TOPIC_REPLICATION_FACTOR), Duration.ofSeconds(60));
        PrometheusMeterRegistry meters = meterRegistry();
        DriftlineMetrics metrics = new DriftlineMetrics(meters);
        List<AutoCloseable> resources = new ArrayList<>();
        InputLag lag = InputLag.UNKNOWN;
        if (config.pipeline().inputOrder().enabled()) {
            InputLagWatch watch = InputLagWatch.start(infrastructure.clientSettings(),
                    config.getString(DriftlineConfig.APPLICATION_ID),
                    List.of(topics.readings().name(), topics.maintenance().name()),
                    Duration.ofMillis(config.getLong(DriftlineConfig.COMMIT_INTERVAL_MS)));
            resources.add(watch);
            lag = watch;
        }
        Topology topology = DriftlineTopology.build(topics, config.pipeline(), metrics, lag);
        Properties props = streamsProperties(config, infrastructure);

        // The HTTP API starts first: its address is what this instance advertises for interactive queries.
        HttpApi http = null;
        HostInfo self = null;
        int port = config.getInt(DriftlineConfig.HTTP_PORT);
        if (port >= 0) {
            LiveFeed feed = LiveFeed.start(infrastructure.clientSettings(), topics);
            ModelCommands commands = new ModelCommands(infrastructure.clientSettings(), topics.commands());
            Password token = config.getPassword(DriftlineConfig.HTTP_TOKEN);
            DeviceHistory devices = new DeviceHistory(infrastructure.clientSettings(), topics.predictions(),
                    feed::recentAlerts);
            http = HttpApi.start(config.getString(DriftlineConfig.HTTP_HOST), port, config.httpServerTls(),
                    token == null ? null : token.value(), meters, feed, commands::send, devices::device, config.pipeline());
            resources.add(commands);
            resources.add(feed);
            self = new HostInfo(advertisedHost(config), http.port());
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        }
        KafkaStreams streams = clients == null ? new KafkaStreams(topology, props)
                : new KafkaStreams(topology, props, clients);
        resources.add(bindStreamsMetrics(streams, meters));
        metrics.readiness(() -> streams.state() == KafkaStreams.State.RUNNING);
        // A thread that dies on an unexpected error (e.g. the registry is down) is replaced and
        // resumes from the last commit, rather than stopping the application.
        streams.setUncaughtExceptionHandler(error -> {
            log.error("Stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        DriftlineService service = new DriftlineService(streams, meters, http, resources);
        streams.setStateListener((now, before) -> {
            log.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                service.running.countDown();
            }
        });
        if (http != null) {
            http.serve(streams, new ModelDirectory(streams, self, JsonMappers.api(), config.httpClientTls(),
                    config.pipeline()));
            log.info("HTTP API on {}://{}:{}/ (dashboard), /metrics, /api/models", http.scheme(), config.getString(
                    DriftlineConfig.HTTP_HOST), http.port());
        }
        streams.start();
        return service;
    }

    /** The registry /metrics serves, with the JVM's meters; Driftline's and Kafka Streams' join it. */
    static PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        return meters;
    }

    /** Kafka Streams' own metrics and its clients' (consumer lag among them) as kafka_* meters. */
    static KafkaStreamsMetrics bindStreamsMetrics(KafkaStreams streams, PrometheusMeterRegistry meters) {
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        return streamsMetrics;
    }

    /** The host other instances reach this one's HTTP API at. */
    private static String advertisedHost(DriftlineConfig config) {
        String advertised = config.getString(DriftlineConfig.HTTP_ADVERTISED_HOST);
        String bound = config.getString(DriftlineConfig.HTTP_HOST);
        if (!advertised.isEmpty()) {
            return advertised;
        }
        if (!bound.equals("0.0.0.0")) {
            return bound;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new ConfigException(DriftlineConfig.HTTP_ADVERTISED_HOST, "", "cannot tell this machine's host name: " + e);
        }
    }

    /** Batch size of the Kafka Streams producers unless {@code kafka.batch.size} or {@code kafka.producer.batch.size} is set. */
    public static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    /**
     * Compression of the Kafka Streams producers unless {@code kafka.compression.type} or
     * {@code kafka.producer.compression.type} is set. Every Kafka client since 2.1 reads it, as does
     * librdkafka built with zstd (Debian's is).
     */
    public static final String PRODUCER_COMPRESSION = "zstd";

    static Properties streamsProperties(DriftlineConfig config, Infrastructure infrastructure) {
        Properties props = new Properties();
        props.putAll(infrastructure.clientSettings());
        tuneProducer(props);
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

    /**
     * Producer settings of Driftline's own, each unless the settings choose it (as {@code kafka.<name>}
     * or {@code kafka.producer.<name>}). Larger batches than Kafka's 16 KB: under exactly-once every
     * commit flushes the producer and waits for the broker, and the checkpoints written at a commit
     * come in a burst (hundreds of KB). In 16 KB batches that burst takes many produce requests, at
     * most five in flight; in 256 KB batches a few. And zstd compression: it halves the bytes written
     * per reading (checkpoints, pending readings, repartition and predictions alike) for about 1.5 % of
     * the stream thread's time. Both are measured, for Driftline and a plain pass-through alike, in
     * docs/benchmarks.md ("Producer batches", "Compression").
     */
    public static void tuneProducer(Properties streamsProperties) {
        defaultProducerSetting(streamsProperties, ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES);
        defaultProducerSetting(streamsProperties, ProducerConfig.COMPRESSION_TYPE_CONFIG, PRODUCER_COMPRESSION);
    }

    private static void defaultProducerSetting(Properties streamsProperties, String name, Object value) {
        if (!streamsProperties.containsKey(name) && !streamsProperties.containsKey(StreamsConfig.producerPrefix(name))) {
            streamsProperties.put(StreamsConfig.producerPrefix(name), value);
        }
    }

    /** Waits until Kafka Streams is RUNNING (all tasks assigned and restored). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The HTTP API's base URL on {@code host}, e.g. {@code https://127.0.0.1:8080/}, if it runs. */
    public Optional<String> httpUrl(String host) {
        return http == null ? Optional.empty() : Optional.of(http.scheme() + "://" + host + ":" + http.port() + "/");
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (http != null) {
            http.close();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Cannot close {}", resource, e);
            }
        }
        meters.close();
    }
}
