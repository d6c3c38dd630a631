package io.driftline.state;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer for encoding checkpoints and pending readings: what
 * {@link java.io.ByteArrayOutputStream} does without its lock per write (a device checkpoint is
 * hundreds of 8-byte writes, and an uncontended lock still costs an atomic operation each), and
 * with its contents readable without a copy.
 */
final class EncodeBuffer extends OutputStream {

    private byte[] buffer;
    private int size;

    EncodeBuffer(int capacity) {
        buffer = new byte[capacity];
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /**
     * The bytes {@code ByteUtils.writeVarint} writes (zig-zag, then seven bits a byte), put in place:
     * through a {@link java.io.DataOutputStream} each byte is a call of its own, and a journal writes
     * a varint per feature of every observation.
     */
    void writeVarint(int value) {
        ensure(5);
        int bits = (value << 1) ^ (value >> 31);
        while ((bits & 0xFFFFFF80) != 0) {
            buffer[size++] = (byte) ((bits & 0x7F) | 0x80);
            bits >>>= 7;
        }
        buffer[size++] = (byte) bits;
    }

    /** The eight bytes {@code DataOutputStream.writeLong} writes (big-endian), put in place. */
    void writeLong(long value) {
        ensure(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, size + more));
        }
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The buffer itself; its first {@link #size()} bytes are the contents. */
    byte[] buffer() {
        return buffer;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
