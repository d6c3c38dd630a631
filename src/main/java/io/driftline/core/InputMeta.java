package io.driftline.core;

/**
 * Where an input to {@link ModelCore} stands in time, besides its own event time.
 *
 * @param timestamp the time the input entered Driftline (its Kafka record timestamp): latency is measured from it
 * @param now       the wall-clock time of processing, stamped on predictions
 */
public record InputMeta(long timestamp, long now) {
}
