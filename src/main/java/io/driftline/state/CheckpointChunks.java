package io.driftline.state;

import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;
import org.apache.kafka.common.utils.Bytes;

/**
 * The stored layout of a checkpoint larger than one changelog record: its encoded bytes split into
 * chunks under derived keys, and a head record under the key itself. See {@link CheckpointStore}
 * for why.
 *
 * <p>Head: the byte {@link #HEAD}, then the chunk count, the total length and the CRC-32C of the
 * encoded bytes (three big-endian ints). Chunk {@code i}: bytes {@code [i * size, (i + 1) * size)}
 * under the key's UTF-8 bytes, {@code 0xFF}, and {@code i} as a big-endian int. {@code 0xFF} never
 * occurs in UTF-8, so a chunk key is never a real key, and the chunk keys of one key are distinct
 * from those of any other.
 */
final class CheckpointChunks {

    /**
     * First byte of a head. A whole checkpoint starts with its {@link CheckpointCodec#FORMAT_VERSION}
     * instead; format versions count up from 1 and must stay below this byte.
     */
    static final byte HEAD = (byte) 0x80;
    private static final int HEAD_LENGTH = 1 + 3 * Integer.BYTES;
    private static final byte CHUNK_MARK = (byte) 0xFF;

    private CheckpointChunks() {
    }

    /** Whether a stored record under a real key is a head rather than a whole checkpoint. */
    static boolean isHead(byte[] record) {
        return record.length > 0 && record[0] == HEAD;
    }

    static byte[] head(int chunks, byte[] encoded) {
        return ByteBuffer.allocate(HEAD_LENGTH).put(HEAD).putInt(chunks).putInt(encoded.length).putInt(crc(encoded))
                .array();
    }

    /** Chunk {@code index} of {@code encoded} split into chunks of {@code size} bytes. */
    static byte[] chunk(byte[] encoded, int size, int index) {
        int from = index * size;
        return Arrays.copyOfRange(encoded, from, Math.min(encoded.length, from + size));
    }

    /** Chunks of {@code size} bytes that {@code length} bytes need. */
    static int count(int length, int size) {
        return (int) (((long) length + size - 1) / size);
    }

    /** The chunk count a head announces; 0 for a head too short to tell (its chunks, if any, are unreachable). */
    static int chunksOf(byte[] head) {
        return head.length == HEAD_LENGTH ? Math.max(0, ByteBuffer.wrap(head, 1, Integer.BYTES).getInt()) : 0;
    }

    static Bytes chunkKey(byte[] key, int index) {
        return Bytes.wrap(ByteBuffer.allocate(key.length + 1 + Integer.BYTES).put(key).put(CHUNK_MARK).putInt(index)
                .array());
    }

    static boolean isChunkKey(byte[] storedKey) {
        return storedKey.length > Integer.BYTES && storedKey[storedKey.length - 1 - Integer.BYTES] == CHUNK_MARK;
    }

    /**
     * The encoded checkpoint a head describes, from its chunks.
     *
     * @throws CheckpointDecodingException when the head is malformed, a chunk is missing, or the
     *     assembled bytes do not have the announced length and checksum
     */
    static byte[] assemble(String key, byte[] head, IntFunction<byte[]> chunks) {
        if (head.length != HEAD_LENGTH) {
            throw new CheckpointDecodingException("malformed chunk head of " + key + " (" + head.length + " bytes)", null);
        }
        ByteBuffer fields = ByteBuffer.wrap(head, 1, HEAD_LENGTH - 1);
        int count = fields.getInt();
        int length = fields.getInt();
        int crc = fields.getInt();
        if (count <= 0 || length < 0) {
            throw new CheckpointDecodingException("malformed chunk head of " + key + ": " + count + " chunks, "
                    + length + " bytes", null);
        }
        ByteBuffer encoded = ByteBuffer.allocate(length);
        for (int i = 0; i < count; i++) {
            byte[] chunk = chunks.apply(i);
            if (chunk == null) {
                throw new CheckpointDecodingException("chunk " + i + " of " + count + " of " + key + " is missing", null);
            }
            if (chunk.length > encoded.remaining()) {
                throw new CheckpointDecodingException("chunks of " + key + " exceed the announced " + length
                        + " bytes", null);
            }
            encoded.put(chunk);
        }
        if (encoded.hasRemaining()) {
            throw new CheckpointDecodingException("chunks of " + key + " hold " + encoded.position() + " of the announced "
                    + length + " bytes", null);
        }
        if (crc(encoded.array()) != crc) {
            throw new CheckpointDecodingException("checksum mismatch in the chunks of " + key, null);
        }
        return encoded.array();
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
