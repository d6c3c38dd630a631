/**
 * Drift detection: concept drift on a model's 0/1 error stream with a MOA change detector
 * ({@link io.driftline.drift.ErrorRateMonitor}) and data drift of a model's sensors across its devices,
 * against a normal per hour of day ({@link io.driftline.drift.FleetSensorDrift}). Independent of Kafka.
 */
package io.driftline.drift;
