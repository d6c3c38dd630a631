/**
 * Drift detection: concept drift on a model's 0/1 error stream with a MOA change detector
 * ({@link io.driftline.drift.ErrorRateMonitor}) and data drift with ADWIN on each sensor's normalised values
 * ({@link io.driftline.drift.SensorDriftMonitor}). Independent of Kafka.
 */
package io.driftline.drift;
