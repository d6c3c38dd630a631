package io.driftline.bench;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.SensorReading;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.Topics;
import java.util.Map;

/**
 * Feeds one fleet simulation into Driftline's input topics in phases: first as fast as the producer
 * goes with event times as record timestamps (the throughput runs), then at a fixed rate with the
 * wall-clock send time as record timestamp, so that a prediction's timestamp, which Kafka Streams
 * carries over from its reading, tells when its reading was produced (the latency run). Driftline
 * labels and windows by the event time inside the reading, never by the record timestamp.
 */
final class FleetFeed {

    private final Map<String, Object> clientSettings;
    private final Topics topics;
    private final FleetSimulator fleet;

    FleetFeed(Map<String, Object> clientSettings, Topics topics, FleetSimulator.Settings settings) {
        this.clientSettings = clientSettings;
        this.topics = topics;
        this.fleet = new FleetSimulator(settings);
    }

    /** Publishes the next {@code readings} readings (and the maintenance events among them), acknowledged when this returns. */
    void publish(long readings, double readingsPerSecond, boolean wallClockTimestamps) {
        try (RecordPublisher<String, SensorReading> readingPublisher =
                     new RecordPublisher<>(clientSettings, topics.readings(), readingsPerSecond);
             RecordPublisher<String, MaintenanceEvent> maintenancePublisher =
                     new RecordPublisher<>(clientSettings, topics.maintenance(), 0)) {
            while (readingPublisher.sent() < readings) {
                FleetSimulator.Event event = fleet.next();
                long timestamp = wallClockTimestamps ? System.currentTimeMillis() : event.timeMillis();
                if (event instanceof FleetSimulator.Reading reading) {
                    readingPublisher.publish(event.deviceId(), reading.reading(), timestamp);
                } else if (event instanceof FleetSimulator.Maintenance maintenance) {
                    maintenancePublisher.publish(event.deviceId(), maintenance.event(), timestamp);
                }
            }
        }
    }
}
