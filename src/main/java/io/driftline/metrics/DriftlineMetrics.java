package io.driftline.metrics;

import io.driftline.avro.AlertQualityStatus;
import io.driftline.avro.EpisodeQuality;
import io.driftline.avro.ModelStatus;
import io.driftline.state.DurabilityEvents;
import io.driftline.state.RestoreCost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.ToDoubleFunction;

/**
 * Driftline's own meters, named once here so that dashboards and alerts can rely on them. Called by
 * the stream threads of every task of this instance, hence only thread-safe Micrometer meters and
 * concurrent maps. Kafka Streams' own metrics are bound next to these by the service.
 *
 * <p>Prometheus names: {@code driftline_readings_total}, {@code driftline_prediction_latency_seconds}
 * (histogram; its count is the predictions), {@code driftline_alerts_total{kind}} (drifts are the
 * kinds CONCEPT_DRIFT and DATA_DRIFT),
 * {@code driftline_dead_letters_total{reason}}, {@code driftline_readings_duplicate_total},
 * {@code driftline_inputs_out_of_order_total},
 * {@code driftline_inputs_ignored_total{reason}}, {@code driftline_labels_resolved_total{cause}},
 * {@code driftline_labels_pending}, {@code driftline_model_*{model}} (among them {@code driftline_model_bytes}),
 * {@code driftline_alert_quality_*{model,machine_type[,kind]}} (see {@link #alertQualityGauges}),
 * {@code driftline_checkpoint_bytes{store}}, {@code driftline_checkpoint_resets_total{store}},
 * {@code driftline_ready}. The Grafana dashboard and Prometheus rules in monitoring/ query them
 * (MonitoringFilesTest checks every name they use against this class's registry).
 */
public final class DriftlineMetrics {

    private final MeterRegistry registry;
    private final Counter readings;
    private final Counter duplicates;
    private final Counter outOfOrder;
    private final Timer latency;
    private final AtomicLong pendingLabels = new AtomicLong();
    private final Map<String, ModelStatus> models = new ConcurrentHashMap<>();
    // Model and machine type pairs whose alert-quality gauges are registered.
    private final Set<List<String>> alertQualityGauged = ConcurrentHashMap.newKeySet();
    private final TaggedCounters deadLetters;
    private final TaggedCounters labelsResolved;
    private final TaggedCounters alerts;
    private final TaggedCounters alertFeedback;
    private final TaggedCounters checkpointResets;
    private final TaggedCounters inputsIgnored;

    public DriftlineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.deadLetters = new TaggedCounters(registry, "driftline.dead.letters", "reason");
        this.labelsResolved = new TaggedCounters(registry, "driftline.labels.resolved", "cause");
        this.alerts = new TaggedCounters(registry, "driftline.alerts", "kind");
        this.alertFeedback = new TaggedCounters(registry, "driftline.alert.feedback", "verdict");
        this.checkpointResets = new TaggedCounters(registry, "driftline.checkpoint.resets", "store");
        this.inputsIgnored = new TaggedCounters(registry, "driftline.inputs.ignored", "reason");
        this.readings = Counter.builder("driftline.readings")
                .description("Valid readings that reached their model")
                .register(registry);
        this.duplicates = Counter.builder("driftline.readings.duplicate")
                .description("Readings whose device and sequence number were taken already (a gateway's retry): "
                        + "neither predicted nor learned again")
                .register(registry);
        this.outOfOrder = Counter.builder("driftline.inputs.out.of.order")
                .description("Inputs handed to their model behind a later one (event time) the same model-stage "
                        + "task handed on already: out of order in their own partition, or from a partition that "
                        + "was idle (order.max.delay.ms)")
                .register(registry);
        this.latency = Timer.builder("driftline.prediction.latency")
                .description("Event time of a reading to the moment its prediction was made")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        Gauge.builder("driftline.labels.pending", pendingLabels, AtomicLong::get)
                .description("Readings waiting for a delayed label, on the devices this instance processed")
                .register(registry);
    }

    /** 1 while {@code ready} holds (Kafka Streams RUNNING, as GET /ready answers 200), else 0. */
    public void readiness(BooleanSupplier ready) {
        Gauge.builder("driftline.ready", ready, condition -> condition.getAsBoolean() ? 1 : 0)
                .description("1 when this instance is ready (all its tasks restored and running), 0 otherwise")
                .strongReference(true)
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void reading() {
        readings.increment();
    }

    /** A prediction was made {@code latencyMs} after its reading's event time. */
    public void prediction(long latencyMs) {
        latency.record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
    }

    public void deadLetter(String reason) {
        deadLetters.get(reason).increment();
    }

    /** A reading repeated one already taken, and was dropped. */
    public void duplicateReading() {
        duplicates.increment();
    }

    public void inputOutOfOrder() {
        outOfOrder.increment();
    }

    /**
     * An input that reached its model was left unused for {@code reason} (see
     * {@code Outcome.Rejected}): the device stage or the API rejects such inputs first.
     */
    public void inputIgnored(String reason) {
        inputsIgnored.get(reason).increment();
    }

    public void labelResolved(String cause) {
        labelsResolved.get(cause).increment();
    }

    /** An alert of {@code kind} (e.g. CONCEPT_DRIFT, FAILURE_RISK) was raised. */
    public void alert(String kind) {
        alerts.get(kind).increment();
    }

    /** An operator's verdict (CONFIRMED or FALSE_ALARM) on an alert episode was applied. */
    public void alertFeedback(String verdict) {
        alertFeedback.get(verdict).increment();
    }

    /** The number of readings waiting for a label changed by {@code delta}. */
    public void pendingLabels(long delta) {
        pendingLabels.addAndGet(delta);
    }

    /** A checkpoint of {@code store} could not be read and was replaced by a fresh value. */
    public void checkpointReset(String store) {
        checkpointResets.get(store).increment();
    }

    /**
     * The counters of one name, by the value of their one tag, each looked up in the registry once:
     * some count every reading, and a registry lookup builds a meter id and hashes it every time.
     */
    private static final class TaggedCounters {
        private final MeterRegistry registry;
        private final String name;
        private final String tag;
        private final Map<String, Counter> byValue = new ConcurrentHashMap<>();

        TaggedCounters(MeterRegistry registry, String name, String tag) {
            this.registry = registry;
            this.name = name;
            this.tag = tag;
        }

        Counter get(String value) {
            Counter counter = byValue.get(value);
            return counter != null ? counter : byValue.computeIfAbsent(value, v -> registry.counter(name, tag, v));
        }
    }

    /** Where the checkpoints of {@code store} report their sizes: registered once, recorded at every commit. */
    public IntConsumer checkpointSizes(String store) {
        DistributionSummary sizes = DistributionSummary.builder("driftline.checkpoint.bytes")
                .description("Size of each checkpoint written to the changelog")
                .baseUnit("bytes")
                .tag("store", store)
                .register(registry);
        return sizes::record;
    }

    /**
     * Where the model store {@code store} reports what it writes: the sizes of its journal segments
     * and snapshots, the snapshots a commit had to make on the stream thread, the stream thread's waits
     * for the background snapshots, and what restoring a model cost.
     */
    public DurabilityEvents modelDurability(String store) {
        IntConsumer sizes = checkpointSizes(store);
        Counter onStreamThread = Counter.builder("driftline.model.snapshots.stream.thread")
                .description("Model snapshots a commit made on the stream thread because the background snapshots "
                        + "fell behind (CPU short): each one lengthens that commit")
                .tag("store", store)
                .register(registry);
        Timer stalls = Timer.builder("driftline.model.snapshot.stalls")
                .description("Waits of the stream thread for background snapshots that fell behind the journal (CPU "
                        + "short), before reading a model: each one delays the readings behind it")
                .tag("store", store)
                .register(registry);
        Timer restores = Timer.builder("driftline.model.restores")
                .description("CPU time of building a model from its snapshot and journal (at a restore, or at its "
                        + "first read after a rebalance): decoding the snapshot and replaying the journal since")
                .tag("store", store)
                .register(registry);
        return new DurabilityEvents() {
            @Override
            public void written(int bytes) {
                sizes.accept(bytes);
            }

            @Override
            public void snapshotOnStreamThread(String key) {
                onStreamThread.increment();
            }

            @Override
            public void stalled(long nanos) {
                stalls.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void restored(String key, RestoreCost cost) {
                restores.record(cost.decodeNanos() + cost.replayNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }

    /** The latest status of a model this instance processes: its gauges follow it. */
    public void modelStatus(ModelStatus status) {
        String model = status.getModelKey();
        if (models.put(model, status) == null) {
            modelGauge(model, "driftline.model.accuracy", "Prequential accuracy since start, percent", ModelStatus::getAccuracy);
            modelGauge(model, "driftline.model.kappa", "Prequential kappa since start, percent", ModelStatus::getKappa);
            modelGauge(model, "driftline.model.window.accuracy", "Accuracy over the evaluation window, percent",
                    ModelStatus::getWindowAccuracy);
            modelGauge(model, "driftline.model.window.kappa", "Kappa over the evaluation window, percent",
                    ModelStatus::getWindowKappa);
            modelGauge(model, "driftline.model.instances.trained", "Labelled readings trained on",
                    ModelStatus::getInstancesTrained);
            modelGauge(model, "driftline.model.precision", "Precision of the positive class (positive.class) since start, 0 to 1",
                    ModelStatus::getPrecision);
            modelGauge(model, "driftline.model.recall", "Recall of the positive class (positive.class) since start, 0 to 1",
                    ModelStatus::getRecall);
            modelGauge(model, "driftline.model.f1", "F1 of the positive class (positive.class) since start, 0 to 1",
                    ModelStatus::getF1);
            modelGauge(model, "driftline.model.bytes", "Size of the model (its Java serialisation) as last measured",
                    ModelStatus::getModelBytes);
            modelGauge(model, "driftline.model.rul.mae", "Remaining-life regressor's prequential MAE, ms (NaN when rul.enabled is off)",
                    latest -> orNaN(latest.getRulMae()));
            modelGauge(model, "driftline.model.rul.rmse", "Remaining-life regressor's prequential RMSE, ms (NaN when rul.enabled is off)",
                    latest -> orNaN(latest.getRulRmse()));
            modelGauge(model, "driftline.model.rul.r2", "Remaining-life regressor's prequential R2 (NaN when rul.enabled is off)",
                    latest -> orNaN(latest.getRulR2()));
            modelGauge(model, "driftline.model.kappa.m", "Prequential Kappa-M since start (against the majority class), percent",
                    latest -> orNaN(latest.getKappaM()));
            modelGauge(model, "driftline.model.gmean", "Geometric mean of the per-class recalls since start, 0 to 1",
                    latest -> orNaN(latest.getGMean()));
        }
        for (AlertQualityStatus type : status.getAlertQuality()) {
            if (alertQualityGauged.add(List.of(model, type.getMachineType()))) {
                alertQualityGauges(model, type.getMachineType());
            }
        }
    }

    /**
     * A machine type's alert quality (the model's pooled figures under {@code machine_type="all"}):
     * failures, per episode kind ({@code kind} FAILURE_RISK or ANOMALY) recall, median lead time,
     * false alarms per machine-day and undecided episodes, PR-AUC and ROC-AUC, and the suggested FAILURE_RISK raise threshold.
     */
    private void alertQualityGauges(String model, String machineType) {
        typeGauge(model, machineType, null, "driftline.alert.quality.failures", "FAILURE maintenance events",
                AlertQualityStatus::getFailures);
        for (String kind : List.of("FAILURE_RISK", "ANOMALY")) {
            ToDoubleFunction<AlertQualityStatus> recall = type -> recall(episodes(type, kind));
            typeGauge(model, machineType, kind, "driftline.alert.quality.recall",
                    "Failures with an episode within the horizon before them, over all failures", recall);
            typeGauge(model, machineType, kind, "driftline.alert.quality.lead.median.seconds",
                    "Median time from the first episode's start to the failure it preceded",
                    type -> orNaN(episodes(type, kind).getMedianLeadMs()) / 1000);
            typeGauge(model, machineType, kind, "driftline.alert.quality.false.alarms.per.machine.day",
                    "Episodes with no failure within the horizon, per machine-day watched",
                    type -> orNaN(episodes(type, kind).getFalseAlarmsPerMachineDay()));
            typeGauge(model, machineType, kind, "driftline.alert.quality.undecided",
                    "Episodes whose device left the model or machine type before their verdict: neither true nor "
                            + "false alarms", type -> episodes(type, kind).getUndecided());
        }
        typeGauge(model, machineType, null, "driftline.alert.quality.pr.auc",
                "Average precision of the failure probability over the recent labelled readings",
                type -> orNaN(type.getPrAuc()));
        typeGauge(model, machineType, null, "driftline.alert.quality.roc.auc",
                "ROC-AUC of the failure probability over the recent labelled readings", type -> orNaN(type.getRocAuc()));
        typeGauge(model, machineType, null, "driftline.alert.quality.suggested.raise",
                "FAILURE_RISK raise threshold suggested by the alert quality (not applied; NaN when none)",
                type -> orNaN(type.getSuggestedRaise()));
    }

    private static EpisodeQuality episodes(AlertQualityStatus type, String kind) {
        return kind.equals("ANOMALY") ? type.getAnomaly() : type.getFailureRisk();
    }

    private static double recall(EpisodeQuality episodes) {
        long failures = episodes.getCaught() + episodes.getMissed();
        return failures == 0 ? Double.NaN : (double) episodes.getCaught() / failures;
    }

    private void typeGauge(String model, String machineType, String kind, String name, String description,
                           ToDoubleFunction<AlertQualityStatus> value) {
        Gauge.Builder<Map<String, ModelStatus>> gauge = Gauge.builder(name, models, all -> {
                    ModelStatus status = all.get(model);
                    if (status != null) {
                        for (AlertQualityStatus type : status.getAlertQuality()) {
                            if (type.getMachineType().equals(machineType)) {
                                return value.applyAsDouble(type);
                            }
                        }
                    }
                    return Double.NaN;
                })
                .description(description)
                .tag("model", model)
                .tag("machine_type", machineType);
        if (kind != null) {
            gauge.tag("kind", kind);
        }
        gauge.register(registry);
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private void modelGauge(String model, String name, String description, ToDoubleFunction<ModelStatus> value) {
        Gauge.builder(name, models, all -> {
                    ModelStatus status = all.get(model);
                    return status == null ? Double.NaN : value.applyAsDouble(status);
                })
                .description(description)
                .tag("model", model)
                .register(registry);
    }

    /** The model moved to another instance (rebalance) or this one stopped: its gauges read NaN. */
    public void modelGone(String model) {
        models.remove(model);
    }
}
