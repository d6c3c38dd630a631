/**
 * Alert quality, measured in event time: how early FAILURE_RISK and ANOMALY episodes came before a
 * device's failures (lead time, or missed), how many came with no failure within the label horizon
 * (false alarms per machine-day), how well the failure probability ranks failures (PR-AUC and
 * ROC-AUC over a bounded window), what operators said of the episodes, and which FAILURE_RISK raise
 * threshold would have served a stated objective best.
 *
 * <p>Per device, {@link io.driftline.alertquality.AlertWatch} (part of the device's checkpoint)
 * keeps the episodes still waiting for their verdict and turns readings, failures and feedback into
 * {@link io.driftline.alertquality.AlertEvent}s; per model, {@link io.driftline.alertquality.AlertQuality}
 * (part of the model's state, each event journaled) counts them per machine type. Plain Java: no
 * Kafka here.
 */
package io.driftline.alertquality;
