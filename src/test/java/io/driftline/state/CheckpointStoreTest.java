package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.config.DriftlineConfig;
import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checkpoint store over real Kafka Streams byte stores (in memory and RocksDB), with Driftline's default chunk size. */
class CheckpointStoreTest {

    private static final int CHUNK = new DriftlineConfig(Map.of()).pipeline().checkpointChunkBytes();
    private static final int MIB = 1024 * 1024;

    /** A value whose encoded size the test controls: random bytes do not deflate. */
    record Blob(byte[] bytes) implements Serializable {
    }

    @TempDir
    Path stateDir;
    private KeyValueStore<Bytes, byte[]> inner;
    private CheckpointStore<Blob> store;

    private void open(boolean persistent) {
        KeyValueBytesStoreSupplier supplier = persistent ? Stores.persistentKeyValueStore("models")
                : Stores.inMemoryKeyValueStore("models");
        inner = Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().withCachingDisabled().build();
        store = new CheckpointStore<>(inner, CheckpointCodec.serialised(Blob.class), CHUNK, bytes -> { });
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "checkpoint-store-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(props, new TaskId(0, 0),
                stateDir.toFile());
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void shouldKeepTheDefaultChunkSizeBelowTheBrokersDefaultMessageSize() {
        // Broker max.message.bytes and producer max.request.size default to 1 MiB (+12 bytes of batch header).
        assertThat(CHUNK).isLessThanOrEqualTo(MIB - 64 * 1024);
    }

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void shouldStoreACheckpointThatFitsAsOneRecordAsBeforeChunking(boolean persistent) {
        open(persistent);
        Blob small = random(1000, 1);
        store.put("pump-1", small);
        store.flushCache();

        assertThat(records()).extracting(entry -> key(entry.key)).containsExactly("pump-1");
        assertThat(store.checkpointed("pump-1")).isEqualTo(CheckpointCodec.encode(small));

        // A whole record written by a Driftline without chunking reads back.
        Blob old = random(2000, 2);
        inner.put(Bytes.wrap("pump-2".getBytes(StandardCharsets.UTF_8)), CheckpointCodec.encode(old));
        store.clearCache();
        assertThat(store.get("pump-1").bytes()).isEqualTo(small.bytes());
        assertThat(store.get("pump-2").bytes()).isEqualTo(old.bytes());
    }

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void shouldSplitLargeIncompressibleCheckpointsIntoChunksNoLongerThanTheChunkSizeAndAssembleThem(boolean persistent) {
        open(persistent);
        Blob large = random(5 * MIB + 123, 3);
        Blob other = random(3 * MIB, 4);
        store.put("pump", large);
        store.put("pump-1", other);
        store.flushCache();

        byte[] encodedLarge = CheckpointCodec.encode(large);
        byte[] encodedOther = CheckpointCodec.encode(other);
        assertThat(encodedLarge.length).as("random bytes do not deflate").isGreaterThan(5 * MIB);
        assertThat(records()).hasSize(2 + chunksOf(encodedLarge) + chunksOf(encodedOther))
                .allSatisfy(entry -> assertThat(entry.value.length).isLessThanOrEqualTo(CHUNK));
        assertThat(store.checkpointedKeys()).containsExactlyInAnyOrder("pump", "pump-1");
        assertThat(store.checkpointed("pump")).isEqualTo(encodedLarge);
        assertThat(store.checkpointed("pump-1")).isEqualTo(encodedOther);

        store.clearCache();
        assertThat(store.get("pump").bytes()).isEqualTo(large.bytes());
        assertThat(store.get("pump-1").bytes()).isEqualTo(other.bytes());
    }

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void shouldRemoveStaleChunksWhenACheckpointShrinksAndChunkAgainWhenItGrows(boolean persistent) {
        open(persistent);
        List<Blob> sizes = List.of(random(4 * MIB, 5), random(2 * MIB, 6), random(100, 7), random(3 * MIB, 8),
                random(CHUNK + 1, 9));
        for (int i = 0; i < sizes.size(); i++) {
            Blob value = sizes.get(i);
            store.put("fleet", value);
            store.flushCache();
            byte[] encoded = CheckpointCodec.encode(value);
            int chunks = encoded.length <= CHUNK ? 0 : chunksOf(encoded);

            assertThat(records()).as("records for %d bytes", encoded.length).hasSize(1 + chunks);
            assertThat(store.checkpointedKeys()).containsExactly("fleet");
            assertThat(store.checkpointed("fleet")).isEqualTo(encoded);
            // Every other write finds the previous checkpoint's chunks in the store rather than in memory, as after a restart.
            if (i % 2 == 1) {
                store.clearCache();
                assertThat(store.get("fleet").bytes()).isEqualTo(value.bytes());
            }
        }
    }

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseACorruptOrMissingChunk(boolean persistent) {
        open(persistent);
        store.put("fleet", random(2 * MIB, 10));
        store.flushCache();
        byte[] key = "fleet".getBytes(StandardCharsets.UTF_8);

        byte[] chunk = inner.get(CheckpointChunks.chunkKey(key, 1));
        byte[] flipped = Arrays.copyOf(chunk, chunk.length);
        flipped[chunk.length / 2] ^= 1;
        inner.put(CheckpointChunks.chunkKey(key, 1), flipped);
        store.clearCache();
        assertThatThrownBy(() -> store.get("fleet")).isInstanceOf(CheckpointDecodingException.class)
                .hasMessageContaining("checksum");

        inner.put(CheckpointChunks.chunkKey(key, 1), chunk);
        assertThat(store.checkpointed("fleet")).isNotNull();
        inner.delete(CheckpointChunks.chunkKey(key, 2));
        assertThatThrownBy(() -> store.checkpointed("fleet")).isInstanceOf(CheckpointDecodingException.class)
                .hasMessageContaining("chunk 2 of");

        inner.put(CheckpointChunks.chunkKey(key, 2), Arrays.copyOf(chunk, chunk.length - 1));
        assertThatThrownBy(() -> store.get("fleet")).isInstanceOf(CheckpointDecodingException.class)
                .hasMessageContaining("of the announced");
    }

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void shouldForgetARemovedValueAtOnceAndDeleteItsCheckpointAndChunksAtTheNextCommit(boolean persistent) {
        open(persistent);
        store.put("fleet", random(2 * MIB, 11));
        store.put("pump-1", random(100, 12));
        store.flushCache();

        store.remove("fleet");
        assertThat(store.get("fleet")).isNull();
        assertThat(store.checkpointed("fleet")).as("until the commit").isNotNull();
        store.flushCache();

        assertThat(records()).extracting(entry -> key(entry.key)).containsExactly("pump-1");
        assertThat(store.checkpointedKeys()).containsExactly("pump-1");
        store.clearCache();
        assertThat(store.get("fleet")).isNull();
        assertThat(store.get("pump-1")).isNotNull();
    }

    private static int chunksOf(byte[] encoded) {
        return (encoded.length + CHUNK - 1) / CHUNK;
    }

    private List<KeyValue<Bytes, byte[]>> records() {
        List<KeyValue<Bytes, byte[]>> records = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            all.forEachRemaining(records::add);
        }
        return records;
    }

    private static String key(Bytes key) {
        return new String(key.get(), StandardCharsets.UTF_8);
    }

    private static Blob random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return new Blob(bytes);
    }
}
