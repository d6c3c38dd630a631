package io.driftline.app;

import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.drift.ConceptDrift;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A MOA stream replayed into Kafka, and what one uninterrupted model makes of it, for the real-broker tests. */
final class Replays {

    private Replays() {
    }

    /** What an uninterrupted model predicts, in order, and its figures. */
    record Reference(List<String> predictions, EvaluationSnapshot evaluation, List<Long> drifts) {
    }

    /** Publishes {@code readings} instances of {@code stream} from {@code devices} devices, one millisecond apart. */
    static void publish(Infrastructure infrastructure, Topics topics, String stream, int readings, int devices) {
        MoaReplay replay = replay(stream, readings, devices);
        publish(infrastructure, topics, replay, readings);
    }

    /** {@code readings} instances of {@code stream} from {@code devices} devices, one millisecond apart, to publish in parts. */
    static MoaReplay replay(String stream, int readings, int devices) {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        return new MoaReplay(MoaStreams.open(stream), readings, devices, "L", clock::incrementAndGet);
    }

    /** Publishes the next {@code count} readings of {@code replay}. */
    static void publish(Infrastructure infrastructure, Topics topics, MoaReplay replay, int count) {
        try (RecordPublisher<String, SensorReading> publisher =
                     new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0)) {
            for (int i = 0; i < count; i++) {
                SensorReading reading = replay.next();
                publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
            }
        }
    }

    /** One model, created with {@code config}'s settings, over the first {@code readings} instances of {@code stream}. */
    static Reference uninterrupted(DriftlineConfig config, String stream, int readings) {
        MoaStreams.Source source = MoaStreams.open(stream);
        OnlineModel model = OnlineModel.create(config.modelSettings());
        List<String> predictions = new ArrayList<>();
        List<Long> drifts = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            LabelledObservation next = source.next();
            Scored scored = model.predict(next.observation());
            model.learn(next.observation(), next.label(), scored).conceptDrift()
                    .map(ConceptDrift::instance).ifPresent(drifts::add);
            predictions.add(scored.predictedClass() + "@" + scored.positiveProbability());
        }
        return new Reference(predictions, model.snapshot().evaluation(), drifts);
    }
}
