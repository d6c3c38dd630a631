package io.driftline.alertquality;

import io.driftline.alertquality.AlertQualityFigures.EpisodeFigures;
import io.driftline.alertquality.AlertQualityFigures.ThresholdSuggestion;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's alert quality per machine type, counted from the {@link AlertEvent}s its devices'
 * {@link AlertWatch}es derive. Bounded: per machine type, a fixed set of counters, histograms and
 * windows. Part of the model's state (Java-serialised in its snapshot; each event journaled).
 *
 * <p>The threshold suggestion maximises {@link #OBJECTIVE}: among the {@link AlertWatch#CANDIDATES},
 * the raise threshold whose episodes caught the most failures of the window while raising at most
 * {@link #MAX_FALSE_ALARMS_PER_MACHINE_DAY} false alarms per machine-day (ties: fewer false alarms,
 * then the higher threshold); none when the best of them caught no failure. False alarms are decided a horizon after an episode starts, so the
 * window's last horizon counts fewer of them than it will.
 */
public final class AlertQuality implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The name of the figures of all machine types of a model pooled. */
    public static final String ALL = "all";
    public static final double MAX_FALSE_ALARMS_PER_MACHINE_DAY = 0.1;
    public static final String OBJECTIVE = "maximise failure recall with at most "
            + MAX_FALSE_ALARMS_PER_MACHINE_DAY + " false alarms per machine-day (one per 10 machine-days)";
    private static final double DAY_MS = 86_400_000.0;

    private final TreeMap<String, TypeQuality> types = new TreeMap<>();

    public void apply(String machineType, AlertEvent event) {
        types.computeIfAbsent(machineType, type -> new TypeQuality()).apply(event);
    }

    /** The figures per machine type, sorted, preceded by the pooled {@link #ALL} when there are several. */
    public List<AlertQualityFigures> figures() {
        List<AlertQualityFigures> figures = new ArrayList<>(types.size() + 1);
        if (types.size() > 1) {
            figures.add(figures(ALL, List.copyOf(types.values()), false));
        }
        for (Map.Entry<String, TypeQuality> type : types.entrySet()) {
            figures.add(figures(type.getKey(), List.of(type.getValue()), true));
        }
        return figures;
    }

    private static AlertQualityFigures figures(String name, List<TypeQuality> parts, boolean suggest) {
        double machineDays = parts.stream().mapToLong(part -> part.observedMs).sum() / DAY_MS;
        long[] failures = new long[ScoreHistogram.BINS];
        long[] normals = new long[ScoreHistogram.BINS];
        parts.forEach(part -> part.scores.addTo(failures, normals));
        EpisodeFigures risk = episodes(parts, AlertEvent.FAILURE_RISK, machineDays);
        return new AlertQualityFigures(name, machineDays, risk.caught() + risk.missed(), risk,
                episodes(parts, AlertEvent.ANOMALY, machineDays), ScoreHistogram.sum(failures),
                ScoreHistogram.sum(normals), ScoreHistogram.prAuc(failures, normals),
                ScoreHistogram.rocAuc(failures, normals), suggest ? suggestion(parts.get(0)) : null);
    }

    private static EpisodeFigures episodes(List<TypeQuality> parts, int track, double machineDays) {
        long falseAlarms = total(parts, track, TypeQuality.Total.FALSE_ALARMS);
        long[] leads = parts.stream().map(part -> part.lastLeads(track)).flatMapToLong(Arrays::stream).sorted().toArray();
        return new EpisodeFigures(total(parts, track, TypeQuality.Total.CAUGHT),
                total(parts, track, TypeQuality.Total.MISSED), median(leads), falseAlarms,
                total(parts, track, TypeQuality.Total.TRUE_ALARMS),
                machineDays == 0 ? Double.NaN : falseAlarms / machineDays,
                total(parts, track, TypeQuality.Total.CONFIRMED), total(parts, track, TypeQuality.Total.MARKED_FALSE),
                parts.stream().mapToLong(part -> part.undecided(track)).sum());
    }

    private static long total(List<TypeQuality> parts, int track, TypeQuality.Total column) {
        return parts.stream().mapToLong(part -> part.total(track, column)).sum();
    }

    private static double median(long[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    static ThresholdSuggestion suggestion(TypeQuality type) {
        long failures = type.windowFailures();
        double machineDays = type.windowObservedMs() / DAY_MS;
        if (failures == 0) {
            return new ThresholdSuggestion(OBJECTIVE, null, Double.NaN, Double.NaN, 0, machineDays,
                    "no failure in the window");
        }
        int best = -1;
        long bestCaught = -1;
        long bestFalse = Long.MAX_VALUE;
        for (int c = 0; c < AlertWatch.CANDIDATES.length; c++) {
            int track = AlertWatch.candidateTrack(c);
            long caught = type.windowCaught(track);
            long falseAlarms = type.windowFalse(track);
            boolean withinBound = falseAlarms <= MAX_FALSE_ALARMS_PER_MACHINE_DAY * machineDays;
            // Ascending thresholds: at equal figures the later, higher one wins.
            if (withinBound && (caught > bestCaught || caught == bestCaught && falseAlarms <= bestFalse)) {
                best = c;
                bestCaught = caught;
                bestFalse = falseAlarms;
            }
        }
        if (best >= 0 && bestCaught == 0) {
            return new ThresholdSuggestion(OBJECTIVE, null, 0, Double.NaN, failures, machineDays,
                    "no candidate threshold within the false-alarm bound caught a failure in the window");
        }
        if (best < 0) {
            return new ThresholdSuggestion(OBJECTIVE, null, Double.NaN, Double.NaN, failures, machineDays,
                    String.format(Locale.ROOT, "no candidate threshold (%.2f to %.2f) stayed within the false-alarm bound",
                            AlertWatch.CANDIDATES[0], AlertWatch.CANDIDATES[AlertWatch.CANDIDATES.length - 1]));
        }
        return new ThresholdSuggestion(OBJECTIVE, AlertWatch.CANDIDATES[best], (double) bestCaught / failures,
                bestFalse / machineDays, failures, machineDays, null);
    }
}
