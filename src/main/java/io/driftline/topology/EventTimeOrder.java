package io.driftline.topology;

import io.driftline.avro.ModelInput;
import io.driftline.avro.Progress;
import io.driftline.config.InputOrder;
import io.driftline.metrics.DriftlineMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Puts the model stage's inputs in event-time order across the device stage's partitions. A model's
 * inputs arrive on one repartition partition, but from every device-stage partition, each at its
 * own pace: replayed at full speed they arrive hours apart in event time. The device stage sends
 * every repartition partition progress marks (how far in event time it has routed); this task
 * holds each reading, maintenance event and device move in a store (keyed by event time, then
 * repartition offset) until the {@link Watermark}, the least mark of the partitions not idle, has
 * passed it, and then forwards it. A device-stage partition whose event time stood still for
 * {@link InputOrder#maxDelay()} marks itself idle and is not waited for until it advances again. An input already behind the watermark (out of order in its own
 * partition) goes on at once. Commands are operators' requests of now and go on at once too.
 *
 * <p>The store is changelogged and written in the task's transactions, so held inputs survive a
 * crash exactly once; the marks are not kept: after a restart every partition is waited for again
 * until its next mark, which an idle partition repeats every {@link InputOrder#maxDelay()}.
 */
final class EventTimeOrder implements Processor<String, ModelInput, String, ModelInput> {

    /** Inputs held until every device-stage partition has passed them. */
    static final String STORE = "input-order";

    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    static final int MAX_RELEASE = 1000;

    private final InputOrder order;
    private final Serde<ModelInput> serde;
    private final DriftlineMetrics metrics;
    private ProcessorContext<String, ModelInput> context;
    private KeyValueStore<Bytes, byte[]> held;
    private Watermark watermark;
    private String subject;
    // The watermark up to which held inputs were last released: every input held is later.
    private long releasedTo = Long.MIN_VALUE;
    // No input held is earlier; unknown after a restart.
    private long heldFrom = Long.MIN_VALUE;
    private long handedOn = Long.MIN_VALUE;

    EventTimeOrder(InputOrder order, Serde<ModelInput> serde, DriftlineMetrics metrics) {
        this.order = order;
        this.serde = serde;
        this.metrics = metrics;
    }

    /** Persistent and changelogged; cached, so that an input released before the commit costs one tombstone. */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingEnabled();
    }

    @Override
    public void init(ProcessorContext<String, ModelInput> context) {
        this.context = context;
        this.held = context.getStateStore(STORE);
        this.watermark = new Watermark(order.partitions());
        // Kafka Streams may initialise a processor again (a revived task), its store restored to the last
        // commit: it may hold inputs released since, so what this instance knew of the store no longer holds.
        this.releasedTo = Long.MIN_VALUE;
        this.heldFrom = Long.MIN_VALUE;
        this.handedOn = Long.MIN_VALUE;
        // The repartition topic's subject: held inputs are encoded as the records that brought them.
        this.subject = context.applicationId() + "-" + Topics.MODEL_INPUTS + "-repartition";
        // Only to go on releasing a backlog larger than one release when no input follows.
        context.schedule(CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> release());
    }

    @Override
    public void process(Record<String, ModelInput> record) {
        ModelInput input = record.value();
        Progress progress = input.getProgress();
        if (progress != null) {
            watermark.mark(progress.getPartition(), progress.getEventTime().toEpochMilli(), progress.getIdle());
            release();
            return;
        }
        if (input.getCommand() != null) {
            context.forward(record);
            return;
        }
        release();
        long time = eventTime(input);
        if (time <= releasedTo) {
            handOn(record, time);
            return;
        }
        long offset = context.recordMetadata().orElseThrow().offset();
        held.put(key(time, offset), encode(record));
        heldFrom = Math.min(heldFrom, time);
    }

    /**
     * Forwards the held inputs the watermark has passed, in event-time order, at most {@value
     * #MAX_RELEASE} at a time (the rest at the next input or check): a watermark that jumps hours
     * must not keep the task from committing for longer than its transaction may last.
     */
    private void release() {
        long to = watermark.at();
        if (to <= releasedTo || to < heldFrom) {
            // May fall back: a partition that was idle is waited for again from its mark on.
            releasedTo = to;
            return;
        }
        List<Bytes> released = new ArrayList<>();
        long last = heldFrom;
        // From the earliest held: the released entries' tombstones before it are never scanned again.
        try (KeyValueIterator<Bytes, byte[]> due = held.range(key(heldFrom, Long.MIN_VALUE), key(to, Long.MAX_VALUE))) {
            while (due.hasNext() && released.size() < MAX_RELEASE) {
                KeyValue<Bytes, byte[]> entry = due.next();
                last = time(entry.key);
                handOn(decode(entry.value), last);
                released.add(entry.key);
            }
        }
        released.forEach(held::delete);
        if (released.size() < MAX_RELEASE) {
            releasedTo = to;
            heldFrom = to == Long.MAX_VALUE ? to : to + 1;
        } else {
            // Inputs of the last time released may still be held: a new one of that time waits behind them.
            releasedTo = last - 1;
            heldFrom = last;
        }
    }

    private void handOn(Record<String, ModelInput> record, long time) {
        if (time < handedOn) {
            metrics.inputOutOfOrder();
        }
        handedOn = Math.max(handedOn, time);
        context.forward(record);
    }

    private static long eventTime(ModelInput input) {
        if (input.getReading() != null) {
            return input.getReading().getEventTime().toEpochMilli();
        }
        if (input.getMaintenance() != null) {
            return input.getMaintenance().getEventTime().toEpochMilli();
        }
        return input.getDeviceMoved().getMovedAt().toEpochMilli();
    }

    /** Event time, then the repartition offset, both ordered as unsigned bytes. */
    private static Bytes key(long time, long offset) {
        return Bytes.wrap(ByteBuffer.allocate(2 * Long.BYTES).putLong(time ^ Long.MIN_VALUE)
                .putLong(offset ^ Long.MIN_VALUE).array());
    }

    private static long time(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
    }

    /** The record's timestamp (latency is measured from it), its model key and its value. */
    private byte[] encode(Record<String, ModelInput> record) {
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = serde.serializer().serialize(subject, record.value());
        return ByteBuffer.allocate(Long.BYTES + Integer.BYTES + key.length + value.length)
                .putLong(record.timestamp()).putInt(key.length).put(key).put(value).array();
    }

    private Record<String, ModelInput> decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long timestamp = buffer.getLong();
        byte[] key = new byte[buffer.getInt()];
        buffer.get(key);
        byte[] value = new byte[buffer.remaining()];
        buffer.get(value);
        return new Record<>(new String(key, StandardCharsets.UTF_8), serde.deserializer().deserialize(subject, value),
                timestamp);
    }
}
