package io.driftline.bench;

import io.driftline.app.SimulatedInputs;
import io.driftline.config.PipelineSettings;
import io.driftline.core.InMemoryCoreState;
import io.driftline.core.ModelCore;
import io.driftline.sim.FleetSimulator;
import java.util.ArrayList;
import java.util.List;

/**
 * Driftline's own per-model work alone: the model stage's {@link ModelCore} in-process, without
 * Kafka or serialisation, on the inputs the topology's model stage gets from the same feed
 * (readings and maintenance events routed to their model keys as the device stage routes them).
 * Rolling features, prediction, anomaly score, drift detectors, risk and alert tracking, delayed
 * labels, training and the journal of every operation are timed; simulating the fleet and
 * building the inputs are not. What the stores add (encoding pending readings and device
 * checkpoints, compressing and writing the journal) is Kafka's side and is not here: the models'
 * journals are dropped every {@link SimulatedInputs#COMMIT_INPUTS} inputs, as a commit takes them.
 *
 * <p>Set beside {@link LearnerLimit} it says how much of Driftline's time is its own product
 * work (features, detectors, labels, journal) rather than MOA's learning or Kafka's plumbing: the
 * cap with this instead of MOA is the most Driftline could reach if its Kafka side cost no more
 * than the pass-through.
 */
final class CoreLimit {

    private static final int BATCH = 10_000;

    private final PipelineSettings pipeline;

    CoreLimit(PipelineSettings pipeline) {
        this.pipeline = pipeline;
    }

    /** Readings per second of the core over the first {@code readings} readings of {@code fleet}. */
    Result run(FleetSimulator fleet, long readings) {
        ModelCore core = new ModelCore(pipeline);
        InMemoryCoreState state = new InMemoryCoreState(pipeline.pendingRetention());
        SimulatedInputs inputs = new SimulatedInputs(pipeline);
        List<SimulatedInputs.Routed> batch = new ArrayList<>(BATCH);
        long nanos = 0;
        long done = 0;
        long outcomes = 0;
        while (done < readings) {
            batch.clear();
            long batchReadings = 0;
            while (batch.size() < BATCH && done + batchReadings < readings) {
                SimulatedInputs.Routed routed = inputs.route(fleet.next());
                if (routed != null) {
                    batch.add(routed);
                    batchReadings += routed.isReading() ? 1 : 0;
                }
            }
            long start = System.nanoTime();
            for (SimulatedInputs.Routed next : batch) {
                outcomes += core.apply(next.modelKey(), next.input(), next.meta(), state).size();
                inputs.applied(state);
            }
            nanos += System.nanoTime() - start;
            done += batchReadings;
        }
        return new Result(done, done / (nanos / 1e9), (double) outcomes / done);
    }

    /**
     * @param readings           readings applied
     * @param perSecond          readings per second of the core's time
     * @param outcomesPerReading predictions, alerts and statuses per reading: that the run did the work
     */
    record Result(long readings, double perSecond, double outcomesPerReading) {
    }
}
