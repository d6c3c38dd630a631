package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class ConsoleFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final ConsoleFilter filter = new ConsoleFilter();

    @Test
    void shouldShowDriftlinesOwnMessagesAtEveryLevel() {
        for (Level level : new Level[] {Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
            assertThat(filter.decide(event("io.driftline.app.DriftlineService", level, "Kafka Streams {} -> {}", 0)))
                    .isEqualTo(FilterReply.NEUTRAL);
        }
        assertThat(filter.decide(event("io.driftlinex.Other", Level.INFO, "not ours", 0))).isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldKeepKafkasRoutineWarningsOffTheConsole() {
        assertThat(filter.decide(event("org.apache.kafka.clients.NetworkClient", Level.WARN,
                "[{}] The metadata response from the cluster reported a recoverable issue with correlation id {} : {}", 0)))
                .isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event("org.apache.kafka.streams.StreamsConfig", Level.WARN,
                "Processing exception handler is not enabled for the GlobalThread.", 0))).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event("org.apache.kafka.controller.QuorumController", Level.INFO, "started", 0)))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldShowEveryonesErrors() {
        assertThat(filter.decide(event("org.apache.kafka.streams.processor.internals.StreamThread", Level.ERROR,
                "stream-thread [{}] Failed to process stream task {}", 0))).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldLeaveTheEmbeddedBrokersRequestErrorsToItsClients() {
        assertThat(filter.decide(event("kafka.server.ReplicaManager", Level.ERROR,
                "[ReplicaManager broker=1] Error processing append operation on partition {}", 0))).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event("kafka.server.KafkaRaftServer", Level.ERROR, "Fatal error during startup", 0)))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldShowAnUnreachableBrokerOnceAMinute() {
        String unreachable = "Connection to node {} ({}) could not be established. Node may not be available.";
        String logger = "org.apache.kafka.clients.NetworkClient";
        long minute = ConsoleFilter.REPEAT_AFTER.toMillis();
        assertThat(filter.decide(event(logger, Level.WARN, unreachable, 1_000))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(logger, Level.WARN, unreachable, 2_000))).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event(logger, Level.WARN, unreachable, 1_000 + minute - 1))).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event(logger, Level.WARN, unreachable, 1_000 + minute))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(event(logger, Level.WARN, unreachable, 1_000 + minute + 1))).isEqualTo(FilterReply.DENY);
    }

    private LoggingEvent event(String loggerName, Level level, String message, long timestamp) {
        Logger logger = context.getLogger(loggerName);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, null, new Object[0]);
        event.setTimeStamp(timestamp);
        return event;
    }
}
