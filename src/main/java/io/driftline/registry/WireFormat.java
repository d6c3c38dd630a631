package io.driftline.registry;

import io.driftline.registry.InvalidPayloadException.Reason;
import java.io.ByteArrayOutputStream;

/**
 * Confluent's wire format for Avro record values and keys: byte 0 is the magic byte {@code 0},
 * bytes 1-4 the schema id (big-endian signed int), then the Avro binary encoding of the datum with
 * the writer schema (no Avro container, no schema fingerprint).
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /**
     * Where the parts of one framed record are.
     *
     * @param schemaId the writer schema's registry id
     * @param array the bytes holding the record (not copied: do not modify)
     * @param payloadOffset where the Avro payload starts in {@code array}
     * @param payloadLength how many bytes of {@code array} the payload spans (may be 0)
     */
    public record Frame(int schemaId, byte[] array, int payloadOffset, int payloadLength) {
    }

    /** Checks the header of {@code length} bytes at {@code offset} of {@code array}. */
    public static Frame parse(byte[] array, int offset, int length) {
        if (length < HEADER_LENGTH) {
            throw new InvalidPayloadException(Reason.TOO_SHORT,
                    length + " bytes; the wire format needs at least " + HEADER_LENGTH);
        }
        if (array[offset] != MAGIC_BYTE) {
            throw new InvalidPayloadException(Reason.WRONG_MAGIC_BYTE,
                    String.format("magic byte 0x%02x; expected 0x00 (Confluent wire format)", array[offset]));
        }
        int id = (array[offset + 1] & 0xff) << 24 | (array[offset + 2] & 0xff) << 16
                | (array[offset + 3] & 0xff) << 8 | (array[offset + 4] & 0xff);
        return new Frame(id, array, offset + HEADER_LENGTH, length - HEADER_LENGTH);
    }

    /** Writes the magic byte and {@code schemaId}; the caller appends the Avro payload. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }
}
