package io.driftline.sim;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges FAILURE_RISK and ANOMALY alerts against the simulator's ground truth: for every
 * {@link SimulatedFailure}, the lead time of each kind is from the first alert of that kind raised
 * for the failed device while it degraded (from its degradation's start to the failure) to the
 * failure, or missed. The degradation period bounds the window, where an operator's figures can
 * only use a horizon: an alert before the machine began to degrade did not see this failure coming,
 * it was a false alarm. Alerts and failures may be given in any order. Not thread-safe.
 */
public final class LeadTimes {

    /** The alerts judged: the raises of the two predictive episodes (a CLEARED ends an episode). */
    private static final List<AlertKind> KINDS = List.of(AlertKind.FAILURE_RISK, AlertKind.ANOMALY);

    private final Map<String, List<Alert>> raisesByDevice = new HashMap<>();
    private final List<SimulatedFailure> failures = new ArrayList<>();
    private final Map<AlertKind, Instant> firstRaise = new EnumMap<>(AlertKind.class);

    /** Takes a FAILURE_RISK or ANOMALY alert of a device; any other alert is ignored. */
    public void alert(Alert alert) {
        if (!KINDS.contains(alert.getKind()) || alert.getDeviceId() == null) {
            return;
        }
        raisesByDevice.computeIfAbsent(alert.getDeviceId(), device -> new ArrayList<>()).add(alert);
        firstRaise.merge(alert.getKind(), alert.getEventTime(), (a, b) -> a.isBefore(b) ? a : b);
    }

    public void failure(SimulatedFailure failure) {
        failures.add(failure);
    }

    /** The leads of every failure so far, in failure-time order. */
    public Report report() {
        List<Lead> leads = new ArrayList<>();
        failures.stream().sorted(Comparator.comparing(SimulatedFailure::failedAt)).forEach(failure -> {
            Map<AlertKind, Duration> byKind = new EnumMap<>(AlertKind.class);
            for (Alert raise : raisesByDevice.getOrDefault(failure.deviceId(), List.of())) {
                Instant at = raise.getEventTime();
                if (!at.isBefore(failure.degradationStart()) && !at.isAfter(failure.failedAt())) {
                    byKind.merge(raise.getKind(), Duration.between(at, failure.failedAt()),
                            (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
            leads.add(new Lead(failure, byKind.get(AlertKind.FAILURE_RISK), byKind.get(AlertKind.ANOMALY)));
        });
        Map<AlertKind, Integer> unmatched = new EnumMap<>(AlertKind.class);
        raisesByDevice.forEach((device, raises) -> raises.stream()
                .filter(raise -> failures.stream().noneMatch(failure -> failure.deviceId().equals(device)
                        && !raise.getEventTime().isBefore(failure.degradationStart())
                        && !raise.getEventTime().isAfter(failure.failedAt())))
                .forEach(raise -> unmatched.merge(raise.getKind(), 1, Integer::sum)));
        return new Report(leads, new EnumMap<>(firstRaise), unmatched);
    }

    /**
     * One failure's warnings.
     *
     * @param risk    from the first FAILURE_RISK of its degradation to the failure, or null: none
     * @param anomaly from the first ANOMALY of its degradation to the failure, or null: none
     */
    public record Lead(SimulatedFailure failure, Duration risk, Duration anomaly) {

        /** From the first alert of either kind; zero when missed (no warning is no lead). */
        public Duration lead() {
            Duration risk = this.risk == null ? Duration.ZERO : this.risk;
            Duration anomaly = this.anomaly == null ? Duration.ZERO : this.anomaly;
            return risk.compareTo(anomaly) >= 0 ? risk : anomaly;
        }

        public boolean missed() {
            return risk == null && anomaly == null;
        }

        /** The lead as a share of the failure's degradation period, 0 to 1. */
        public double share() {
            return lead().toMillis() / (double) failure.degradation().toMillis();
        }
    }

    /**
     * The leads of a run.
     *
     * @param leads      one per failure, in failure-time order
     * @param firstRaise the first alert of each kind raised, of any device (whether or not a failure followed)
     * @param unmatched  per kind, the alerts raised while no degradation of their device that ended in a
     *                   failure was under way: false alarms, or early warnings of a failure still to come
     */
    public record Report(List<Lead> leads, Map<AlertKind, Instant> firstRaise, Map<AlertKind, Integer> unmatched) {

        public Report {
            leads = List.copyOf(leads);
            firstRaise = Map.copyOf(firstRaise);
            unmatched = Map.copyOf(unmatched);
        }

        /** The figures over every failure. */
        public Summary all() {
            return Summary.of(leads);
        }

        /** The figures over each machine type's failures, sorted by type. */
        public Map<String, Summary> byMachineType() {
            return leads.stream().collect(Collectors.groupingBy(lead -> lead.failure().machineType(), TreeMap::new,
                    Collectors.collectingAndThen(Collectors.toList(), Summary::of)));
        }

        /** The first FAILURE, or null when none happened. */
        public Instant firstFailure() {
            return leads.isEmpty() ? null : leads.get(0).failure().failedAt();
        }
    }

    /**
     * Lead figures over some failures; a missed failure counts as a lead of zero in the medians.
     *
     * @param failures          how many
     * @param missed            with no alert of either kind while the machine degraded
     * @param median            median lead of FAILURE_RISK or ANOMALY (zero when there was no failure)
     * @param medianRisk        median lead of FAILURE_RISK alone
     * @param medianAnomaly     median lead of ANOMALY alone
     * @param medianShare       median of each failure's lead over its degradation period (NaN: no failure)
     * @param medianDegradation median degradation period
     */
    public record Summary(int failures, int missed, Duration median, Duration medianRisk, Duration medianAnomaly,
                          double medianShare, Duration medianDegradation) {

        static Summary of(List<Lead> leads) {
            return new Summary(leads.size(), (int) leads.stream().filter(Lead::missed).count(),
                    medianDuration(leads, Lead::lead),
                    medianDuration(leads, lead -> lead.risk() == null ? Duration.ZERO : lead.risk()),
                    medianDuration(leads, lead -> lead.anomaly() == null ? Duration.ZERO : lead.anomaly()),
                    median(leads.stream().mapToDouble(Lead::share).toArray()),
                    medianDuration(leads, lead -> lead.failure().degradation()));
        }

        private static Duration medianDuration(List<Lead> leads, Function<Lead, Duration> value) {
            double median = median(leads.stream().mapToDouble(lead -> value.apply(lead).toMillis()).toArray());
            return Double.isNaN(median) ? Duration.ZERO : Duration.ofMillis(Math.round(median));
        }

        /** The middle value, or the mean of the two middle ones; NaN for none. */
        static double median(double[] values) {
            if (values.length == 0) {
                return Double.NaN;
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int middle = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }
}
