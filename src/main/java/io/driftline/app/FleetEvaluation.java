package io.driftline.app;

import java.util.List;
import java.util.ArrayList;
import io.driftline.alertquality.AlertQualityFigures;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Alert;
import io.driftline.config.PipelineSettings;
import io.driftline.core.InMemoryCoreState;
import io.driftline.core.ModelCore;
import io.driftline.core.Outcome;
import io.driftline.drift.DriftScorecard;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.GroundTruth;
import io.driftline.sim.LeadTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A simulator scenario through Driftline's per-model logic ({@link ModelCore}, as the model stage
 * runs it) without Kafka or serialisation, its drift alerts scored against the scenario's ground
 * truth ({@link DriftScorecard}), and its FAILURE_RISK and ANOMALY alerts' lead times before each
 * failure ({@link LeadTimes}). Routing is the device stage's: a reading goes to the model key of
 * its device and machine type, a maintenance event to that of its device's machine type; a reading
 * of a machine type not in {@code machine.types}, or an event of a device with no reading yet, is
 * counted as dead-lettered, as the topology would. Time is simulated: a reading is processed at
 * its own event time.
 */
public final class FleetEvaluation {

    /** How often, in readings, {@link Progress} hears of the run. */
    public static final long PROGRESS_EVERY = 250_000;

    private FleetEvaluation() {
    }

    /** Hears of a run's progress every {@link #PROGRESS_EVERY} readings. */
    public interface Progress {
        void readings(long readings, Duration simulated);
    }

    /**
     * What to run.
     *
     * @param fleet     the simulation (scenario, fleet size, failures, seed)
     * @param duration  simulated time to run
     * @param period    simulated time between two samples of the models' figures
     * @param tolerance how long after a scripted change (and its ramp) an alert still detects it
     */
    public record Settings(FleetSimulator.Settings fleet, Duration duration, Duration period, Duration tolerance) {
    }

    /**
     * A run's outcome.
     *
     * @param readings        readings processed by a model
     * @param maintenance     maintenance events processed by a model
     * @param deadLettered    inputs the topology would have dead-lettered
     * @param alertsByKind    every alert the models raised, by kind
     * @param driftAlerts     the CONCEPT_DRIFT and DATA_DRIFT alerts, in order, to read what was raised
     * @param score           the drift alerts scored against the ground truth
     * @param leads           the lead times of the failures the models saw
     * @param wallTime        how long the run took
     * @param quality         each model's figures at the end, by model key
     */
    public record Result(long readings, long maintenance, long deadLettered, Map<String, Long> alertsByKind,
                         List<Alert> driftAlerts, DriftScorecard.Report score, LeadTimes.Report leads,
                         Duration wallTime, Map<String, ModelQuality> quality) {

        public double readingsPerSecond() {
            return readings / Math.max(1e-9, wallTime.toNanos() / 1e9);
        }
    }

    /**
     * A model's prequential figures (Kappa-M and G-mean next to accuracy and kappa) and its alerts'
     * quality per machine type, at the end of a run.
     */
    public record ModelQuality(EvaluationSnapshot evaluation, List<AlertQualityFigures> alertQuality) {
    }

    public static Result run(PipelineSettings pipeline, Settings settings, Progress progress) {
        FleetSimulator.Settings fleet = settings.fleet();
        GroundTruth truth = GroundTruth.of(fleet.scenario(), fleet.start(), fleet.driftAt(), pipeline.scope());
        Set<String> expected = new HashSet<>(truth.models());
        expected.addAll(truth.newModels());
        DriftScorecard scorecard = new DriftScorecard(truth.changes(), expected, truth.stationary(), fleet.start(),
                pipeline.labels().horizon().plus(pipeline.labels().grace()), settings.tolerance());
        Run run = new Run(pipeline, scorecard);
        long started = System.nanoTime();
        long start = fleet.start().toEpochMilli();
        long end = fleet.start().plus(settings.duration()).toEpochMilli();
        long period = settings.period().toMillis();
        long nextSample = start + period;
        long nextProgress = PROGRESS_EVERY;
        FleetSimulator simulator = new FleetSimulator(fleet);
        for (FleetSimulator.Event event = simulator.next(); event.timeMillis() < end; event = simulator.next()) {
            for (; nextSample <= event.timeMillis(); nextSample += period) {
                run.sample(nextSample);
            }
            run.apply(event);
            if (run.readings >= nextProgress) {
                progress.readings(run.readings, Duration.ofMillis(event.timeMillis() - start));
                nextProgress += PROGRESS_EVERY;
            }
        }
        for (; nextSample <= end; nextSample += period) {
            run.sample(nextSample);
        }
        if (nextSample - period < end) {
            run.sample(end);
        }
        return new Result(run.readings, run.maintenance, run.deadLettered, run.alertsByKind, run.driftAlerts,
                scorecard.report(Instant.ofEpochMilli(end), run.readingsPerModel), run.leads.report(),
                Duration.ofNanos(System.nanoTime() - started), run.quality());
    }

    /** One run's state and counts. */
    private static final class Run {
        final PipelineSettings pipeline;
        final DriftScorecard scorecard;
        final ModelCore core;
        final InMemoryCoreState state;
        final SimulatedInputs inputs;
        final Map<String, Long> readingsPerModel = new TreeMap<>();
        final Map<String, Long> alertsByKind = new TreeMap<>();
        final List<Alert> driftAlerts = new ArrayList<>();
        final LeadTimes leads = new LeadTimes();
        long readings;
        long maintenance;
        long deadLettered;

        Run(PipelineSettings pipeline, DriftScorecard scorecard) {
            this.pipeline = pipeline;
            this.scorecard = scorecard;
            this.core = new ModelCore(pipeline);
            this.state = new InMemoryCoreState(pipeline.pendingRetention());
            this.inputs = new SimulatedInputs(pipeline);
        }

        void apply(FleetSimulator.Event event) {
            SimulatedInputs.Routed routed = inputs.route(event);
            if (routed == null) {
                deadLettered++;
                return;
            }
            if (routed.isReading()) {
                readings++;
                readingsPerModel.merge(routed.modelKey(), 1L, Long::sum);
            } else {
                maintenance++;
                FleetSimulator.Maintenance maintenanceEvent = (FleetSimulator.Maintenance) event;
                if (maintenanceEvent.failure() != null) {
                    leads.failure(maintenanceEvent.failure());
                }
            }
            for (Outcome outcome : core.apply(routed.modelKey(), routed.input(), routed.meta(), state)) {
                if (outcome instanceof Outcome.Alerted alerted) {
                    Alert alert = alerted.alert();
                    alertsByKind.merge(alert.getKind().name(), 1L, Long::sum);
                    scorecard.alert(alert);
                    leads.alert(alert);
                    if (alert.getKind() == AlertKind.CONCEPT_DRIFT || alert.getKind() == AlertKind.DATA_DRIFT) {
                        driftAlerts.add(alert);
                    }
                }
            }
            inputs.applied(state);
        }

        Map<String, ModelQuality> quality() {
            Map<String, ModelQuality> quality = new TreeMap<>();
            state.models().forEach((key, model) -> quality.put(key,
                    new ModelQuality(model.snapshot().evaluation(), model.alertQuality())));
            return quality;
        }

        void sample(long time) {
            Instant at = Instant.ofEpochMilli(time);
            state.models().forEach((key, model) -> scorecard.sample(key, at, model.version(),
                    model.snapshot().evaluation(), pipeline.model().positiveClass()));
        }
    }
}
