/**
 * {@code driftline bench}: Driftline measured against its two limits in one run, on one embedded
 * broker and the same data: the MOA learner alone in-process (the learning limit) and a plain
 * Kafka Streams pass-through with one state-store access per record (the Kafka limit). Figures
 * are reported as ratios measured side by side, because these machines are shared and noisy.
 */
package io.driftline.bench;
