package io.driftline.state;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * What the device stage remembers of a device, to route its inputs and keep bad ones away from
 * its model: its machine type, its stream time (latest event time of its readings and maintenance
 * events), and which of its recent sequence numbers it has seen, so that a gateway's retry is
 * recognised. Small (about 20 bytes encoded): it is rewritten at every commit that saw the device.
 *
 * <p>Sequence numbers: the highest seen, and a bit for each of the {@value #SEQUENCE_WINDOW} below
 * it. A reading is a duplicate when its sequence number is in that window and was seen, unless it
 * is newer (event time) than every reading seen: then the device's counter went back (a restarted
 * gateway, or one that does not count at all) and the window starts again from it. A reading
 * further behind than the window cannot be told from a late original and is taken.
 */
public final class DeviceInputs {

    /** How many sequence numbers below the highest are remembered. */
    public static final int SEQUENCE_WINDOW = Long.SIZE;
    /** First byte of the encoded form; the store's earlier values were the machine type alone, as UTF-8. */
    private static final byte FORMAT_VERSION = 2;
    private static final long NONE = Long.MIN_VALUE;

    private String machineType;
    private long streamTime = NONE;
    private long readingTime = NONE;
    private long highestSequence;
    // Bit i: sequence highestSequence - i was seen. 0: no sequence seen yet.
    private long seen;

    public DeviceInputs(String machineType) {
        this.machineType = machineType;
    }

    public String machineType() {
        return machineType;
    }

    /** Latest event time of the device's readings and maintenance events; {@link Long#MIN_VALUE} before the first. */
    public long streamTime() {
        return streamTime;
    }

    /** Whether a reading numbered {@code sequence} at {@code time} repeats one already taken. */
    public boolean isDuplicate(long sequence, long time) {
        if (seen == 0 || time > readingTime || sequence > highestSequence) {
            return false;
        }
        long behind = distance(highestSequence, sequence);
        return behind < SEQUENCE_WINDOW && (seen >>> behind & 1) == 1;
    }

    /** Takes a reading that is not a duplicate: its machine type, time and sequence number. */
    public void onReading(String type, long sequence, long time) {
        machineType = type;
        if (seen == 0 || time > readingTime && sequence <= highestSequence) {
            highestSequence = sequence;
            seen = 1;
        } else if (sequence > highestSequence) {
            long ahead = distance(sequence, highestSequence);
            seen = ahead >= SEQUENCE_WINDOW ? 1 : seen << ahead | 1;
            highestSequence = sequence;
        } else if (distance(highestSequence, sequence) < SEQUENCE_WINDOW) {
            seen |= 1L << distance(highestSequence, sequence);
        }
        readingTime = Math.max(readingTime, time);
        streamTime = Math.max(streamTime, time);
    }

    /**
     * Whether a maintenance event at {@code time} comes too late to label the device's readings
     * correctly: older than stream time minus {@code graceMs}.
     */
    public boolean isLate(long time, long graceMs) {
        return streamTime != NONE && time < streamTime - graceMs;
    }

    /** Takes a maintenance event that is not late. */
    public void onEvent(long time) {
        streamTime = Math.max(streamTime, time);
    }

    /** {@code higher - lower} for {@code higher >= lower}; {@link Long#MAX_VALUE} when it overflows. */
    private static long distance(long higher, long lower) {
        long distance = higher - lower;
        return distance < 0 ? Long.MAX_VALUE : distance;
    }

    public byte[] encode() {
        byte[] type = machineType.getBytes(StandardCharsets.UTF_8);
        EncodeBuffer bytes = new EncodeBuffer(32 + type.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            ByteUtils.writeVarint(type.length, out);
            out.write(type);
            ByteUtils.writeVarlong(streamTime, out);
            out.writeLong(seen);
            if (seen != 0) {
                ByteUtils.writeVarlong(highestSequence, out);
                // Readings are the usual source of stream time: usually 0, one byte.
                ByteUtils.writeVarlong(streamTime - readingTime, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #encode()} wrote, or a machine type alone as the store held it before. */
    public static DeviceInputs decode(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != FORMAT_VERSION) {
            return new DeviceInputs(new String(bytes, StandardCharsets.UTF_8));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            byte[] type = new byte[ByteUtils.readVarint(in)];
            in.readFully(type);
            DeviceInputs inputs = new DeviceInputs(new String(type, StandardCharsets.UTF_8));
            inputs.streamTime = ByteUtils.readVarlong(in);
            inputs.seen = in.readLong();
            if (inputs.seen != 0) {
                inputs.highestSequence = ByteUtils.readVarlong(in);
                inputs.readingTime = inputs.streamTime - ByteUtils.readVarlong(in);
            }
            return inputs;
        } catch (IOException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("corrupt device inputs", e);
        }
    }
}
