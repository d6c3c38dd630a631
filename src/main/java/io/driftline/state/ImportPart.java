package io.driftline.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One part of a model bundle on its way to its model ({@code ModelAction.IMPORT}): a bundle may be
 * far larger than one Kafka record may be, so it travels in parts, each kept until the last arrives.
 *
 * @param importId which import the part belongs to: parts of another are not assembled with it
 * @param bytes    the part's bytes of the bundle
 */
public record ImportPart(String importId, byte[] bytes) {

    /** The import id's length and bytes, then the part's bytes. */
    byte[] encode() {
        byte[] id = importId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Integer.BYTES + id.length + bytes.length).putInt(id.length).put(id).put(bytes)
                .array();
    }

    static ImportPart decode(byte[] encoded) {
        ByteBuffer buffer = ByteBuffer.wrap(encoded);
        byte[] id = new byte[buffer.getInt()];
        buffer.get(id);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new ImportPart(new String(id, StandardCharsets.UTF_8), bytes);
    }
}
