package io.driftline.alertquality;

import io.driftline.alert.RiskThresholds;
import io.driftline.alert.RiskTracker;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One device's alert episodes, watched for their verdict in event time, as {@link AlertEvent}s
 * for its model's {@link AlertQuality}. Besides the FAILURE_RISK and ANOMALY episodes that were
 * raised, it runs the same raise/clear/debounce machinery ({@link RiskTracker}) on the failure
 * probability at each {@link #CANDIDATES candidate} raise threshold, so that the threshold
 * suggestion rests on the episodes each threshold would have raised, not on readings: one
 * failure is many positive readings, one false alarm many negative ones.
 *
 * <p>Bounded (about 56 bytes with no episode waiting, 8 more per waiting episode) and constant
 * work per reading. Checkpointed with the device ({@link #writeTo}). A device that leaves its model
 * or machine type settles its episodes there ({@link #onLeave}); a device whose state cannot be read
 * back starts with an empty watch, its waiting episodes undecided and uncounted.
 */
public final class AlertWatch {

    /** The candidate raise thresholds: 0.05 to 0.95 in steps of 0.05. */
    public static final double[] CANDIDATES = candidates();
    /** FAILURE_RISK, ANOMALY, then one track per candidate. */
    public static final int TRACKS = 2 + CANDIDATES.length;
    /**
     * Watched machine time is reported in steps of this much per device, not per reading: a
     * journal entry per quarter hour rather than per reading (and the remainder when the device
     * leaves its model).
     */
    static final long OBSERVED_STEP_MS = 15 * 60_000L;
    private static final long NEVER = Long.MIN_VALUE;

    private final EpisodeLedger[] ledgers = new EpisodeLedger[TRACKS];
    private final RiskTracker[] candidates = new RiskTracker[CANDIDATES.length];
    private long lastTime = NEVER;
    private long observedMs;
    // The candidates' thresholds under the last FAILURE_RISK thresholds seen: derived once, not per reading.
    private RiskThresholds basis;
    private RiskThresholds[] scaled;

    public AlertWatch() {
        for (int t = 0; t < TRACKS; t++) {
            ledgers[t] = new EpisodeLedger();
        }
        for (int c = 0; c < candidates.length; c++) {
            candidates[c] = new RiskTracker();
        }
    }

    private static double[] candidates() {
        double[] thresholds = new double[19];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = (i + 1) / 20.0;
        }
        return thresholds;
    }

    /** The track of candidate threshold {@code i} ({@link #CANDIDATES}). */
    public static int candidateTrack(int i) {
        return 2 + i;
    }

    /**
     * A reading at {@code time}: counts the machine time since the device's previous reading (a gap
     * longer than the horizon counts as the horizon: a silent machine is not watched), decides the
     * episodes whose horizon passed, and records the episodes this reading raised.
     *
     * @param probability  the reading's failure probability
     * @param riskRaised   whether it raised a FAILURE_RISK episode
     * @param anomalyRaised whether it raised an ANOMALY episode
     * @param risk         the FAILURE_RISK thresholds of the device's machine type: the candidates use
     *                     its debounce and its clear-to-raise ratio
     */
    public List<AlertEvent> onReading(long time, double probability, boolean riskRaised, boolean anomalyRaised,
                                      RiskThresholds risk, long horizonMs) {
        List<AlertEvent> events = new ArrayList<>(0);
        if (lastTime != NEVER && time > lastTime) {
            observedMs += Math.min(time - lastTime, horizonMs);
        }
        lastTime = lastTime == NEVER ? time : Math.max(lastTime, time);
        if (observedMs >= OBSERVED_STEP_MS) {
            events.add(AlertEvent.of(AlertEvent.Kind.OBSERVED, AlertEvent.FAILURE_RISK, observedMs));
            observedMs = 0;
        }
        expire(time, horizonMs, events);
        raise(AlertEvent.FAILURE_RISK, riskRaised, time, events);
        raise(AlertEvent.ANOMALY, anomalyRaised, time, events);
        RiskThresholds[] thresholds = scaled(risk);
        for (int c = 0; c < candidates.length; c++) {
            raise(candidateTrack(c), candidates[c].update(probability, thresholds[c]) == RiskTracker.Transition.RAISED,
                    time, events);
        }
        return events;
    }

    private RiskThresholds[] scaled(RiskThresholds risk) {
        if (!risk.equals(basis)) {
            double ratio = risk.clear() / risk.raise();
            scaled = new RiskThresholds[CANDIDATES.length];
            for (int c = 0; c < scaled.length; c++) {
                scaled[c] = new RiskThresholds(CANDIDATES[c], CANDIDATES[c] * ratio, risk.debounce());
            }
            basis = risk;
        }
        return scaled;
    }

    /**
     * The device failed at {@code time}: per track, the lead time of the first episode within the
     * horizon before it (CAUGHT) or MISSED, and the episodes it made true alarms.
     */
    public List<AlertEvent> onFailure(long time, long horizonMs) {
        List<AlertEvent> events = new ArrayList<>(2 * TRACKS);
        expire(time, horizonMs, events);
        for (int t = 0; t < TRACKS; t++) {
            EpisodeLedger.Caught caught = ledgers[t].failure(time);
            if (caught == null) {
                events.add(AlertEvent.of(AlertEvent.Kind.MISSED, t, 0));
            } else {
                events.add(AlertEvent.of(AlertEvent.Kind.CAUGHT, t, caught.leadMs()));
                events.add(AlertEvent.of(AlertEvent.Kind.TRUE_ALARMS, t, caught.episodes()));
            }
        }
        return events;
    }

    /**
     * The device leaves its model, or its machine type, at {@code time} (the event time of its first
     * reading elsewhere): the machine time watched since the last step, the episodes whose horizon
     * passed by then (false alarms), and the episodes still waiting, {@link AlertEvent.Kind#UNDECIDED}:
     * a failure after the move is another model's (or type's) to count, so they are neither true
     * nor false here. The watch is empty afterwards.
     */
    public List<AlertEvent> onLeave(long time, long horizonMs) {
        List<AlertEvent> events = new ArrayList<>(0);
        if (observedMs > 0) {
            events.add(AlertEvent.of(AlertEvent.Kind.OBSERVED, AlertEvent.FAILURE_RISK, observedMs));
            observedMs = 0;
        }
        expire(time, horizonMs, events);
        for (int t = 0; t < TRACKS; t++) {
            int undecided = ledgers[t].clear();
            if (undecided > 0) {
                events.add(AlertEvent.of(AlertEvent.Kind.UNDECIDED, t, undecided));
            }
        }
        return events;
    }

    private void expire(long time, long horizonMs, List<AlertEvent> events) {
        for (int t = 0; t < TRACKS; t++) {
            falseAlarms(t, ledgers[t].expire(time, horizonMs), events);
        }
    }

    private void raise(int track, boolean raised, long time, List<AlertEvent> events) {
        if (raised) {
            falseAlarms(track, ledgers[track].raised(time), events);
        }
    }

    private static void falseAlarms(int track, int count, List<AlertEvent> events) {
        if (count > 0) {
            events.add(AlertEvent.of(AlertEvent.Kind.FALSE_ALARMS, track, count));
        }
    }

    /** Episodes of {@code track} waiting for their verdict. */
    int waiting(int track) {
        return ledgers[track].waiting();
    }

    /** Writes the watch, to be read back by {@link #readFrom}; part of a device checkpoint. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(lastTime);
        out.writeLong(observedMs);
        for (EpisodeLedger ledger : ledgers) {
            ledger.writeTo(out);
        }
        for (RiskTracker candidate : candidates) {
            candidate.writeTransitionsTo(out);
        }
    }

    public static AlertWatch readFrom(DataInput in) throws IOException {
        AlertWatch watch = new AlertWatch();
        watch.lastTime = in.readLong();
        watch.observedMs = in.readLong();
        for (int t = 0; t < TRACKS; t++) {
            watch.ledgers[t] = EpisodeLedger.readFrom(in);
        }
        for (int c = 0; c < watch.candidates.length; c++) {
            watch.candidates[c] = RiskTracker.readTransitionsFrom(in);
        }
        return watch;
    }
}
