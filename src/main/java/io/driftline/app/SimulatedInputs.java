package io.driftline.app;

import io.driftline.avro.ModelInput;
import io.driftline.avro.SensorReading;
import io.driftline.config.PipelineSettings;
import io.driftline.core.InMemoryCoreState;
import io.driftline.core.InputMeta;
import io.driftline.sim.FleetSimulator;
import io.driftline.state.ModelState;
import java.util.HashMap;
import java.util.Map;

/**
 * A simulated fleet's events as the model stage gets them, for running {@link io.driftline.core.ModelCore}
 * in-process: routed as the device stage routes them (a reading to the model key of its device and
 * machine type, a maintenance event to that of its device's machine type), at their own event time.
 * Not thread-safe.
 */
public final class SimulatedInputs {

    /** How many inputs an in-process state takes between two drops of its models' journals, about a commit's worth. */
    public static final int COMMIT_INPUTS = 1_000;

    private final PipelineSettings pipeline;
    private final Map<String, String> modelOfDevice = new HashMap<>();
    private long sinceCommit;

    public SimulatedInputs(PipelineSettings pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * An input for the model stage.
     *
     * @param modelKey the model it is routed to
     * @param input    the reading or maintenance event
     * @param meta     its record time and processing time: its event time, as simulated
     */
    public record Routed(String modelKey, ModelInput input, InputMeta meta) {

        public boolean isReading() {
            return input.getReading() != null;
        }
    }

    /**
     * {@code event} routed to its model, or null where the topology would dead-letter it (a reading
     * of a machine type not in {@code machine.types}, an event of a device with no reading yet).
     */
    public Routed route(FleetSimulator.Event event) {
        // Built with setters: the Avro builder's defaults cost more than some of the model's work.
        ModelInput input = new ModelInput();
        String modelKey;
        if (event instanceof FleetSimulator.Reading reading) {
            SensorReading value = reading.reading();
            if (!pipeline.machineTypes().contains(value.getMachineType())) {
                return null;
            }
            modelKey = pipeline.scope().modelKey(value.getDeviceId(), value.getMachineType());
            modelOfDevice.put(value.getDeviceId(), modelKey);
            input.setReading(value);
        } else {
            modelKey = modelOfDevice.get(event.deviceId());
            if (modelKey == null) {
                return null;
            }
            input.setMaintenance(((FleetSimulator.Maintenance) event).event());
        }
        return new Routed(modelKey, input, new InputMeta(event.timeMillis(), event.timeMillis()));
    }

    /**
     * Counts one input applied to {@code state} and, every {@link #COMMIT_INPUTS}, drops its models'
     * journals as a commit would take them: nothing is checkpointed in-process, and a journal kept
     * would only grow, while one dropped after every input would rebuild its index of the model's
     * strings every time.
     */
    public void applied(InMemoryCoreState state) {
        if (++sinceCommit == COMMIT_INPUTS) {
            sinceCommit = 0;
            state.models().values().forEach(ModelState::discardJournal);
        }
    }
}
