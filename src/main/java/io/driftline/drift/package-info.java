/**
 * Drift detection with MOA's ADWIN: concept drift on a model's 0/1 error stream
 * ({@link io.driftline.drift.ErrorRateMonitor}) and data drift on each sensor's normalised values
 * ({@link io.driftline.drift.SensorDriftMonitor}). Independent of Kafka.
 */
package io.driftline.drift;
