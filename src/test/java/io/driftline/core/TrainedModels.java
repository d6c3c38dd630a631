package io.driftline.core;

import io.driftline.avro.ModelInput;
import io.driftline.avro.SensorReading;
import io.driftline.config.PipelineSettings;
import io.driftline.state.ModelState;
import java.time.Instant;
import java.util.Map;

/** Models trained through the core on readings labelled in band, for tests of what is done with a model. */
public final class TrainedModels {

    public static final long T0 = 1_700_000_000_000L;

    private TrainedModels() {
    }

    /** The model of key {@code modelKey} after {@code readings} readings (see {@link #reading}). */
    public static ModelState trained(PipelineSettings settings, String modelKey, int readings) {
        InMemoryCoreState state = new InMemoryCoreState();
        ModelCore core = new ModelCore(settings);
        for (int i = 0; i < readings; i++) {
            core.apply(modelKey, reading(i, true), new InputMeta(T0, T0), state);
        }
        return state.model(modelKey);
    }

    /** Reading {@code i}: failure when hot and vibrating, with a little noise from the sequence; labelled in band or not. */
    public static ModelInput reading(long i, boolean labelled) {
        double temperature = 60 + (i * 7919 % 40);
        double vibration = (i * 104_729 % 100) / 100.0;
        boolean failure = temperature > 90 && vibration > 0.5 || i % 97 == 0;
        return ModelInput.newBuilder().setReading(SensorReading.newBuilder()
                .setDeviceId("pump-" + i % 3)
                .setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(T0 + i * 1000))
                .setSequence(i)
                .setSensors(Map.of("temperature", temperature, "vibration", vibration))
                .setLabel(labelled ? failure ? "failure" : "normal" : null)
                .build()).build();
    }
}
