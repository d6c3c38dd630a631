package io.driftline.state;

/**
 * How a {@link CheckpointStore} turns its live values into checkpoint bytes and back. The bytes
 * start with a format version ({@link CheckpointCodec}); a reader rejects versions it does not know.
 */
public interface CheckpointFormat<V> {

    byte[] encode(V value);

    /** @throws CheckpointCodec.CheckpointDecodingException when the bytes cannot be read back */
    V decode(byte[] bytes);
}
