package io.driftline.topology;

import io.driftline.avro.DeviceMoved;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.ModelInput;
import io.driftline.avro.SensorReading;
import io.driftline.config.ModelScope;
import io.driftline.metrics.DriftlineMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Routes a device's readings and maintenance events to the device's model, keyed by model key.
 * A maintenance event does not say which machine type its device is, so this stage remembers
 * the machine type of every device it saw a reading from (store {@value #DEVICE_TYPES}, keyed by
 * device id, co-partitioned with both input topics). An event of a device never seen can label
 * nothing and is dead-lettered as {@code UNKNOWN_DEVICE}. When a device's machine type changes and
 * its readings go to another model from then on, the model it leaves is told first
 * ({@code DeviceMoved}), so that it drops the device's state instead of orphaning it.
 */
final class DeviceRouter implements Processor<String, Decoded, String, Routed> {

    static final String DEVICE_TYPES = "device-types";

    private final ModelScope scope;
    private final String maintenanceTopic;
    private final Serializer<MaintenanceEvent> maintenanceSerializer;
    private final DriftlineMetrics metrics;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, String> deviceTypes;

    DeviceRouter(ModelScope scope, String maintenanceTopic, Serializer<MaintenanceEvent> maintenanceSerializer,
                 DriftlineMetrics metrics) {
        this.scope = scope;
        this.maintenanceTopic = maintenanceTopic;
        this.maintenanceSerializer = maintenanceSerializer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.deviceTypes = context.getStateStore(DEVICE_TYPES);
    }

    @Override
    public void process(Record<String, Decoded> record) {
        if (record.value() instanceof ValidReading valid) {
            route(record, valid.reading());
        } else if (record.value() instanceof ValidMaintenance valid) {
            route(record, valid.event());
        } else {
            throw new IllegalArgumentException("dead letters are not routed");
        }
    }

    private void route(Record<String, Decoded> record, SensorReading reading) {
        String deviceId = reading.getDeviceId();
        String knownType = deviceTypes.get(deviceId);
        if (!reading.getMachineType().equals(knownType)) {
            deviceTypes.put(deviceId, reading.getMachineType());
            String from = knownType == null ? null : scope.modelKey(deviceId, knownType);
            String to = scope.modelKey(deviceId, reading.getMachineType());
            if (from != null && !from.equals(to)) {
                // The model the device leaves keeps its state and pending readings otherwise, orphaned for ever.
                DeviceMoved moved = DeviceMoved.newBuilder().setDeviceId(deviceId).setFromMachineType(knownType)
                        .setToMachineType(reading.getMachineType()).setToModelKey(to)
                        .setMovedAt(reading.getEventTime()).build();
                context.forward(record.withKey(from)
                        .withValue(new ToModel(ModelInput.newBuilder().setDeviceMoved(moved).build())));
            }
        }
        ModelInput input = ModelInput.newBuilder().setReading(reading).build();
        context.forward(record.withKey(scope.modelKey(deviceId, reading.getMachineType())).withValue(new ToModel(input)));
    }

    private void route(Record<String, Decoded> record, MaintenanceEvent event) {
        String machineType = deviceTypes.get(event.getDeviceId());
        if (machineType == null) {
            DeadLetter deadLetter = new DeadLetter(record.key() == null ? null : record.key().getBytes(
                    StandardCharsets.UTF_8), maintenanceSerializer.serialize(maintenanceTopic, event),
                    DeadLetter.Reason.UNKNOWN_DEVICE, "no reading of device '" + event.getDeviceId() + "' seen yet");
            Record<String, Routed> out = new Record<>(null, deadLetter, record.timestamp(), record.headers());
            deadLetter.report(out.headers(), context, metrics);
            context.forward(out);
            return;
        }
        ModelInput input = ModelInput.newBuilder().setMaintenance(event).build();
        context.forward(record.withKey(scope.modelKey(event.getDeviceId(), machineType)).withValue(new ToModel(input)));
    }
}
