package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

/** The buffer's in-place varints and longs are byte for byte what a DataOutputStream writes, so journals read back as before. */
class EncodeBufferTest {

    @Test
    void shouldWriteVarintsAndLongsAsByteUtilsAndDataOutputStreamDo() throws IOException {
        SplittableRandom random = new SplittableRandom(18);
        int[] ints = IntStream.concat(IntStream.of(0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, Integer.MAX_VALUE,
                Integer.MIN_VALUE), IntStream.generate(() -> random.nextInt() >> random.nextInt(32)).limit(10_000))
                .toArray();
        long[] longs = LongStream.concat(LongStream.of(0, -1, Long.MAX_VALUE, Long.MIN_VALUE,
                Double.doubleToRawLongBits(Double.NaN)), LongStream.generate(random::nextLong).limit(10_000)).toArray();
        EncodeBuffer buffer = new EncodeBuffer(1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);

        for (int i = 0; i < ints.length; i++) {
            buffer.writeVarint(ints[i]);
            ByteUtils.writeVarint(ints[i], out);
            buffer.writeLong(longs[i % longs.length]);
            out.writeLong(longs[i % longs.length]);
        }

        assertThat(Arrays.copyOf(buffer.buffer(), buffer.size())).isEqualTo(expected.toByteArray());
    }
}
