package io.driftline.topology;

import io.driftline.avro.DeviceMoved;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.ModelInput;
import io.driftline.avro.Progress;
import io.driftline.avro.SensorReading;
import io.driftline.config.InputOrder;
import io.driftline.config.ModelScope;
import io.driftline.metrics.DriftlineMetrics;
import io.driftline.state.DeviceInputs;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a device's readings and maintenance events to the device's model, keyed by model key,
 * and keeps out of the models what would corrupt them. It remembers per device ({@link
 * DeviceInputs}, store {@value #DEVICE_TYPES}, keyed by device id, co-partitioned with both input
 * topics) the machine type, the stream time and the recent sequence numbers, and so:
 * <ul>
 *   <li>drops a reading whose sequence number was taken already (a gateway's retry), counted;</li>
 *   <li>dead-letters a reading or event stamped further ahead of the wall clock than the allowed
 *       skew (FUTURE_EVENT): one device with a wrong clock would move its own and its model's
 *       stream time;</li>
 *   <li>dead-letters a maintenance event of a device none of whose readings was seen
 *       (UNKNOWN_DEVICE: it can label nothing, and its machine type, hence its model, is unknown)
 *       or one older than the device's stream time minus the grace (LATE_EVENT).</li>
 * </ul>
 * These checks belong here, before the repartition, because here the input is still the record
 * that came in: a dead letter is its original key and value, with its topic, partition and offset.
 * The store is cached, so each device costs one changelog record per commit, not one per input.
 * When a device's machine type changes and its readings go to another model from then on, the
 * model it leaves is told first ({@code DeviceMoved}), so that it drops the device's state.
 *
 * <p>When the model stage orders its inputs ({@link EventTimeOrder}), the router also tells every
 * model-stage partition, every {@value #MARK_INTERVAL_MS} ms while it advances, how far in event
 * time its partition has routed readings ({@code Progress}), and, once it stands still, that it is
 * idle: how soon depends on whether it has input left to read ({@link InputLag}, {@link ProgressMarks}). The interval is short, so that a mark
 * mostly joins the transaction of the inputs it covers: a live input then waits for no more than
 * the other partitions' inputs of the same time.
 */
final class DeviceRouter implements Processor<String, Decoded, String, Routed> {

    /** Named for what it first held, the machine types; kept so that deployments keep their devices. */
    static final String DEVICE_TYPES = "device-types";

    static final Serde<DeviceInputs> SERDE = Serdes.serdeFrom((topic, inputs) -> inputs == null ? null : inputs.encode(),
            (topic, bytes) -> bytes == null ? null : DeviceInputs.decode(bytes));

    static final long MARK_INTERVAL_MS = 10;

    private static final Logger log = LoggerFactory.getLogger(DeviceRouter.class);

    private final ModelScope scope;
    private final long graceMs;
    private final long maxSkewMs;
    private final DriftlineMetrics metrics;
    private final InputOrder order;
    private final InputLag lag;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, DeviceInputs> devices;
    // Not kept: a restarted task marks again from its first input.
    private ProgressMarks marks;

    /**
     * {@code order}: when enabled, the router marks its partition's progress for {@link EventTimeOrder};
     * {@code lag} tells it when its partition has nothing left to read.
     */
    DeviceRouter(ModelScope scope, Duration grace, Duration maxClockSkew, InputOrder order, InputLag lag,
                 DriftlineMetrics metrics) {
        this.scope = scope;
        this.graceMs = grace.toMillis();
        this.maxSkewMs = maxClockSkew.toMillis();
        this.order = order;
        this.lag = lag;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.devices = context.getStateStore(DEVICE_TYPES);
        if (order.enabled()) {
            marks = new ProgressMarks(context.taskId().partition(), order.maxDelay().toMillis(),
                    context.currentSystemTimeMs());
            context.schedule(Duration.ofMillis(MARK_INTERVAL_MS), PunctuationType.WALL_CLOCK_TIME, this::markProgress);
        }
    }

    private void markProgress(long now) {
        Progress progress = marks.next(now, lag.caughtUpAsOf(context.taskId().partition()));
        if (progress != null) {
            long time = progress.getEventTime().toEpochMilli();
            // Keyed by the partition only because a repartitioned record needs a key: the partitioner sends it to all.
            context.forward(new Record<>(Integer.toString(progress.getPartition()),
                    new ToModel(ModelInput.newBuilder().setProgress(progress).build()), time < 0 ? now : time));
        }
    }

    @Override
    public void process(Record<String, Decoded> record) {
        if (record.value() instanceof ValidReading valid) {
            route(record, valid);
        } else if (record.value() instanceof ValidMaintenance valid) {
            route(record, valid);
        } else {
            throw new IllegalArgumentException("dead letters are not routed");
        }
    }

    private void route(Record<String, Decoded> record, ValidReading valid) {
        SensorReading reading = valid.reading();
        String deviceId = reading.getDeviceId();
        long time = reading.getEventTime().toEpochMilli();
        if (inFuture(time)) {
            deadLetter(record, new DeadLetter(valid.key(), valid.value(), DeadLetter.Reason.FUTURE_EVENT,
                    futureMessage(time)));
            return;
        }
        DeviceInputs inputs = known(deviceId);
        if (inputs != null && inputs.isDuplicate(reading.getSequence(), time)) {
            metrics.duplicateReading();
            log.debug("Dropped reading {} of device {}: taken already", reading.getSequence(), deviceId);
            return;
        }
        if (inputs == null) {
            inputs = new DeviceInputs(reading.getMachineType());
        } else if (!inputs.machineType().equals(reading.getMachineType())) {
            leave(record, deviceId, inputs.machineType(), reading);
        }
        inputs.onReading(reading.getMachineType(), reading.getSequence(), time);
        devices.put(deviceId, inputs);
        ModelInput input = ModelInput.newBuilder().setReading(reading).build();
        // Readings alone mark progress: the maintenance topic is produced on its own and can run hours
        // ahead of the readings (a few events sent at once while a replay's readings are still queued),
        // and a mark from it would let the models pass readings not yet read. An event ahead of the
        // readings waits in the model stage until they pass it.
        if (marks != null) {
            marks.routed(time);
        }
        context.forward(record.withKey(scope.modelKey(deviceId, reading.getMachineType())).withValue(new ToModel(input)));
    }

    /**
     * The device's machine type changed: if its readings go to another model from now on, the model
     * it leaves is told first, so that it drops the device's state instead of orphaning it.
     */
    private void leave(Record<String, Decoded> record, String deviceId, String knownType, SensorReading reading) {
        String from = scope.modelKey(deviceId, knownType);
        String to = scope.modelKey(deviceId, reading.getMachineType());
        if (!from.equals(to)) {
            DeviceMoved moved = DeviceMoved.newBuilder().setDeviceId(deviceId).setFromMachineType(knownType)
                    .setToMachineType(reading.getMachineType()).setToModelKey(to)
                    .setMovedAt(reading.getEventTime()).build();
            context.forward(record.withKey(from)
                    .withValue(new ToModel(ModelInput.newBuilder().setDeviceMoved(moved).build())));
        }
    }

    private void route(Record<String, Decoded> record, ValidMaintenance valid) {
        MaintenanceEvent event = valid.event();
        long time = event.getEventTime().toEpochMilli();
        if (inFuture(time)) {
            deadLetter(record, new DeadLetter(valid.key(), valid.value(), DeadLetter.Reason.FUTURE_EVENT,
                    futureMessage(time)));
            return;
        }
        DeviceInputs inputs = known(event.getDeviceId());
        if (inputs == null) {
            deadLetter(record, new DeadLetter(valid.key(), valid.value(), DeadLetter.Reason.UNKNOWN_DEVICE,
                    "no reading of device '" + event.getDeviceId() + "' seen yet"));
            return;
        }
        if (inputs.isLate(time, graceMs)) {
            deadLetter(record, new DeadLetter(valid.key(), valid.value(), DeadLetter.Reason.LATE_EVENT, "event at "
                    + time + " is older than the device's stream time " + inputs.streamTime() + " minus the grace "
                    + graceMs + " ms"));
            return;
        }
        inputs.onEvent(time);
        devices.put(event.getDeviceId(), inputs);
        ModelInput input = ModelInput.newBuilder().setMaintenance(event).build();
        context.forward(record.withKey(scope.modelKey(event.getDeviceId(), inputs.machineType()))
                .withValue(new ToModel(input)));
    }

    private boolean inFuture(long time) {
        return time > context.currentSystemTimeMs() + maxSkewMs;
    }

    private String futureMessage(long time) {
        return "event time " + time + " is more than " + maxSkewMs + " ms ahead of the wall clock "
                + context.currentSystemTimeMs();
    }

    /**
     * What is known of {@code deviceId}, or null. A value that cannot be read (written by something
     * else) is counted and forgotten, as unreadable checkpoints are, rather than stopping the task.
     */
    private DeviceInputs known(String deviceId) {
        try {
            return devices.get(deviceId);
        } catch (IllegalArgumentException e) {
            log.error("Forgetting what is known of device {}: its entry in {} cannot be read", deviceId, DEVICE_TYPES, e);
            metrics.checkpointReset(DEVICE_TYPES);
            devices.put(deviceId, null);
            return null;
        }
    }

    private void deadLetter(Record<String, Decoded> record, DeadLetter deadLetter) {
        Record<String, Routed> out = new Record<>(null, deadLetter, record.timestamp(), record.headers());
        deadLetter.report(out.headers(), context, metrics);
        context.forward(out);
    }
}
