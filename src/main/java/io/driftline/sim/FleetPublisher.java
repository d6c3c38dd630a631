package io.driftline.sim;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.SensorReading;
import io.driftline.topology.Topics;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Sends a fleet simulation's readings and maintenance events to their topics, at a steady rate. */
public final class FleetPublisher implements AutoCloseable {

    private final RecordPublisher<String, SensorReading> readings;
    private final RecordPublisher<String, MaintenanceEvent> maintenance;

    public FleetPublisher(Map<String, Object> clientSettings, Topics topics, double readingsPerSecond) {
        this.readings = new RecordPublisher<>(clientSettings, topics.readings(), readingsPerSecond);
        this.maintenance = new RecordPublisher<>(clientSettings, topics.maintenance(), 0);
    }

    /** Publishes events until {@code limit} readings were sent or {@code stop} says so; returns readings sent. */
    public long publish(FleetSimulator simulator, long limit, BooleanSupplier stop) {
        while (readings.sent() < limit && !stop.getAsBoolean()) {
            FleetSimulator.Event event = simulator.next();
            if (event instanceof FleetSimulator.Reading reading) {
                readings.publish(event.deviceId(), reading.reading(), event.timeMillis());
            } else if (event instanceof FleetSimulator.Maintenance m) {
                maintenance.publish(event.deviceId(), m.event(), event.timeMillis());
            }
        }
        return readings.sent();
    }

    @Override
    public void close() {
        try {
            readings.close();
        } finally {
            maintenance.close();
        }
    }
}
