/**
 * The per-model core: the model stage's logic as plain Java. {@link io.driftline.core.ModelCore}
 * takes one input for a model key (a reading, a maintenance event, an operator's command) with the
 * {@link io.driftline.core.CoreState} it needs and returns typed {@link io.driftline.core.Outcome}s;
 * the Kafka Streams processor adapts it, and anything that replays inputs uses it too, so there
 * is one code path to trust. No Kafka imports here.
 */
package io.driftline.core;
