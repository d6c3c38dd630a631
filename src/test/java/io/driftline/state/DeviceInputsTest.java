package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceInputsTest {

    @Test
    void shouldRecogniseRepeatedSequenceNumbersWithinTheWindow() {
        DeviceInputs inputs = new DeviceInputs("L");
        for (long sequence = 100; sequence < 200; sequence++) {
            assertThat(inputs.isDuplicate(sequence, sequence)).isFalse();
            inputs.onReading("L", sequence, sequence);
        }
        assertThat(inputs.isDuplicate(199, 199)).isTrue();
        assertThat(inputs.isDuplicate(199 - DeviceInputs.SEQUENCE_WINDOW + 1, 0)).isTrue();
        // Further behind than the window: cannot be told from a late original.
        assertThat(inputs.isDuplicate(199 - DeviceInputs.SEQUENCE_WINDOW, 0)).isFalse();
        assertThat(inputs.isDuplicate(200, 200)).isFalse();
    }

    @Test
    void shouldTakeAGapFilledLaterOnceAndThenRecogniseIt() {
        DeviceInputs inputs = new DeviceInputs("L");
        inputs.onReading("L", 1, 10);
        inputs.onReading("L", 5, 50);
        assertThat(inputs.isDuplicate(3, 30)).isFalse();
        inputs.onReading("L", 3, 30);
        assertThat(inputs.isDuplicate(3, 30)).isTrue();
        assertThat(inputs.isDuplicate(4, 40)).isFalse();
        // A jump beyond the window forgets what was below it.
        inputs.onReading("L", 5 + DeviceInputs.SEQUENCE_WINDOW, 60);
        assertThat(inputs.isDuplicate(5, 50)).isFalse();
        assertThat(inputs.isDuplicate(5 + DeviceInputs.SEQUENCE_WINDOW, 60)).isTrue();
    }

    @Test
    void shouldStartTheWindowAgainWhenTheCounterGoesBackOnNewerReadings() {
        DeviceInputs inputs = new DeviceInputs("L");
        inputs.onReading("L", 7, 70);
        inputs.onReading("L", 8, 80);
        assertThat(inputs.isDuplicate(1, 90)).as("a restarted gateway's reading").isFalse();
        inputs.onReading("L", 1, 90);
        assertThat(inputs.isDuplicate(1, 90)).isTrue();
        assertThat(inputs.isDuplicate(8, 80)).as("forgotten with the old count").isFalse();
        assertThat(inputs.isDuplicate(Long.MIN_VALUE, 0)).isFalse();
        inputs.onReading("L", Long.MIN_VALUE, 100);
        inputs.onReading("L", Long.MAX_VALUE, 110);
        assertThat(inputs.isDuplicate(Long.MAX_VALUE, 110)).isTrue();
        assertThat(inputs.isDuplicate(Long.MIN_VALUE, 100)).isFalse();
    }

    @Test
    void shouldCallEventsLateAgainstTheLatestTimeOfReadingsAndEvents() {
        DeviceInputs inputs = new DeviceInputs("L");
        assertThat(inputs.isLate(0, 10)).isFalse();
        inputs.onReading("L", 1, 1_000);
        inputs.onEvent(2_000);
        inputs.onEvent(1_500);
        assertThat(inputs.streamTime()).isEqualTo(2_000);
        assertThat(inputs.isLate(1_990, 10)).isFalse();
        assertThat(inputs.isLate(1_989, 10)).isTrue();
    }

    @Test
    void shouldRoundTripAndReadTheMachineTypeAloneAsTheStoreHeldItBefore() {
        DeviceInputs inputs = new DeviceInputs("M");
        inputs.onReading("M", 41, 1_700_000_000_000L);
        inputs.onReading("M", 43, 1_700_000_001_000L);
        inputs.onEvent(1_700_000_002_000L);
        byte[] bytes = inputs.encode();
        assertThat(bytes.length).isLessThanOrEqualTo(24);

        DeviceInputs read = DeviceInputs.decode(bytes);
        assertThat(read.machineType()).isEqualTo("M");
        assertThat(read.streamTime()).isEqualTo(1_700_000_002_000L);
        assertThat(read.isDuplicate(43, 1_700_000_001_000L)).isTrue();
        assertThat(read.isDuplicate(41, 1_700_000_000_000L)).isTrue();
        assertThat(read.isDuplicate(42, 1_700_000_000_500L)).isFalse();
        assertThat(read.encode()).isEqualTo(bytes);

        DeviceInputs legacy = DeviceInputs.decode("H".getBytes(StandardCharsets.UTF_8));
        assertThat(legacy.machineType()).isEqualTo("H");
        assertThat(legacy.isLate(0, 0)).isFalse();
        assertThat(legacy.isDuplicate(0, 0)).isFalse();
        assertThatThrownBy(() -> DeviceInputs.decode(new byte[] {2, 9})).isInstanceOf(IllegalArgumentException.class);
    }
}
