package io.driftline.alertquality;

/**
 * Alert quality of one machine type of a model (or of all its machine types pooled, named
 * {@link AlertQuality#ALL}), since the model started unless said otherwise. Field names are part
 * of the HTTP API: add, never rename.
 *
 * @param machineType    the machine type, or {@link AlertQuality#ALL}
 * @param machineDays    machine time watched, in days (a device's time between its readings, a gap
 *                       capped at the label horizon)
 * @param failures       FAILURE maintenance events of its devices
 * @param failureRisk    FAILURE_RISK episodes against those failures
 * @param anomaly        ANOMALY episodes against those failures
 * @param scoredFailures failure-labelled readings in the PR-AUC/ROC-AUC window
 * @param scoredNormals  normal-labelled readings in that window
 * @param prAuc          average precision of the failure probability over the window (NaN without a failure)
 * @param rocAuc         ROC-AUC of the failure probability over the window (NaN without both labels)
 * @param suggestion     the FAILURE_RISK raise threshold suggested for this machine type; null for {@link AlertQuality#ALL}
 */
public record AlertQualityFigures(String machineType, double machineDays, long failures, EpisodeFigures failureRisk,
                                  EpisodeFigures anomaly, long scoredFailures, long scoredNormals, double prAuc,
                                  double rocAuc, ThresholdSuggestion suggestion) {

    /**
     * One kind of episode (FAILURE_RISK or ANOMALY) against the failures.
     *
     * @param caught                   failures with an episode that started within the horizon before them
     * @param missed                   failures without
     * @param medianLeadMs             median time from the first such episode's start to the failure, over
     *                                 the last {@link TypeQuality#LEADS} caught failures (NaN before any)
     * @param falseAlarms              episodes whose horizon passed with no failure of their device
     * @param trueAlarms               episodes followed by a failure of their device within the horizon
     * @param falseAlarmsPerMachineDay false alarms per machine-day watched
     * @param confirmed                episodes operators confirmed (ALERT_FEEDBACK)
     * @param markedFalse              episodes operators marked false alarms
     * @param undecided                episodes whose device left the model or machine type before their
     *                                 verdict (neither true nor false alarms)
     */
    public record EpisodeFigures(long caught, long missed, double medianLeadMs, long falseAlarms, long trueAlarms,
                                 double falseAlarmsPerMachineDay, long confirmed, long markedFalse, long undecided) {

        /** Caught failures over all failures (NaN before any). */
        public double recall() {
            return caught + missed == 0 ? Double.NaN : (double) caught / (caught + missed);
        }
    }

    /**
     * A FAILURE_RISK raise threshold that would have served {@code objective} best over the last
     * window of machine time: a suggestion, not applied. The figures are those of the episodes the
     * candidate threshold would have raised (same debounce and hysteresis as configured).
     *
     * @param objective                what was maximised under which bound
     * @param raise                    the suggested threshold, or null when no candidate met the bound
     *                                 or the window holds no failure (then {@code reason} says which)
     * @param recall                   failures caught over failures in the window, at {@code raise}
     * @param falseAlarmsPerMachineDay false alarms per machine-day in the window, at {@code raise}
     * @param failures                 failures in the window
     * @param machineDays              machine-days in the window
     * @param reason                   why there is no suggestion; null when there is one
     */
    public record ThresholdSuggestion(String objective, Double raise, double recall, double falseAlarmsPerMachineDay,
                                      long failures, double machineDays, String reason) {
    }
}
