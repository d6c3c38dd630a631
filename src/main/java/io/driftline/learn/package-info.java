/**
 * The learning core, independent of Kafka: a reading's {@link io.driftline.learn.Observation}
 * becomes a MOA instance in {@link io.driftline.learn.FeatureSpace}; an
 * {@link io.driftline.learn.OnlineModel} predicts, learns, evaluates prequentially and watches
 * for drift; {@link io.driftline.learn.MoaStreams} turns MOA generators into labelled streams.
 */
package io.driftline.learn;
