/**
 * Backfill from history files: historian exports (CSV with a header row, or JSON lines, gzip
 * accepted) read into {@code SensorReading}s and {@code MaintenanceEvent}s, every bad row
 * rejected with its line number and reason, all of it put in event-time order across devices and
 * files ({@link io.driftline.backfill.TimeOrder}, spilling sorted runs to disk), then produced with
 * the original event times. Reading and ordering are plain Java; only {@link
 * io.driftline.backfill.Backfill#produce} talks to Kafka.
 */
package io.driftline.backfill;
