package io.driftline.topology;

import io.driftline.avro.Prediction;
import io.driftline.avro.SensorReading;
import io.driftline.learn.Learned;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.state.ModelCodec;
import io.driftline.state.ModelStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model stage: for each reading, keyed by model key and in input order, predict with the
 * current model (test), publish the prediction, then train on the reading when its label is known
 * (train) — MOA's prequential protocol. Drift detected on the way becomes alerts.
 *
 * <p>Models stay live in the {@link ModelStore}; this processor only marks them dirty, and the
 * store checkpoints them when Kafka Streams commits.
 */
final class ModelProcessor implements Processor<String, SensorReading, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(ModelProcessor.class);

    private final String storeName;
    private final ModelSettings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private ModelStore models;

    ModelProcessor(String storeName, ModelSettings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.models = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, SensorReading> record) {
        String modelKey = record.key();
        SensorReading reading = record.value();
        OnlineModel model = modelFor(modelKey, record);
        Observation observation = Readings.toObservation(reading);

        Scored scored = model.predict(observation);
        forward(record, reading.getDeviceId(), prediction(modelKey, reading, scored, record.timestamp()));
        scored.dataDrifts().forEach(drift -> forward(record, modelKey,
                AlertFactory.dataDrift(modelKey, reading.getDeviceId(), reading.getEventTime(), drift)));

        if (reading.getLabel() != null) {
            Learned learned = model.learn(observation, reading.getLabel(), scored);
            learned.conceptDrift().ifPresent(drift -> forward(record, modelKey,
                    AlertFactory.conceptDrift(modelKey, reading.getEventTime(), drift)));
        }
        models.markDirty(modelKey);
    }

    /**
     * The live model of {@code modelKey}, created on first sight. A checkpoint that cannot be read
     * (e.g. written by an incompatible MOA version) is replaced by a new model and reported as a
     * MODEL_RESET alert: a crash loop would stop every other model too.
     */
    private OnlineModel modelFor(String modelKey, Record<String, SensorReading> record) {
        OnlineModel model;
        try {
            model = models.get(modelKey);
        } catch (ModelCodec.ModelDecodingException e) {
            log.error("Resetting model {}: its checkpoint cannot be read", modelKey, e);
            forward(record, modelKey, AlertFactory.modelReset(modelKey, record.value().getEventTime(), e.getMessage()));
            model = null;
        }
        if (model == null) {
            model = OnlineModel.create(settings);
            models.put(modelKey, model);
        }
        return model;
    }

    private Prediction prediction(String modelKey, SensorReading reading, Scored scored, long recordTimestamp) {
        long now = context.currentSystemTimeMs();
        List<String> classes = settings.classes();
        Map<String, Double> votes = new HashMap<>();
        double[] probabilities = scored.probabilities();
        for (int i = 0; i < probabilities.length; i++) {
            votes.put(classes.get(i), probabilities[i]);
        }
        return Prediction.newBuilder()
                .setDeviceId(reading.getDeviceId())
                .setModelKey(modelKey)
                .setReadingTime(reading.getEventTime())
                .setSequence(reading.getSequence())
                .setPredictedClass(scored.predictedClass())
                .setFailureProbability(scored.positiveProbability())
                .setClassVotes(votes)
                .setLabel(reading.getLabel())
                .setModelVersion(scored.modelVersion())
                .setProcessedAt(Instant.ofEpochMilli(now))
                .setLatencyMs(now - recordTimestamp)
                .build();
    }

    private void forward(Record<String, SensorReading> input, String key, SpecificRecord value) {
        context.forward(input.withKey(key).withValue(value));
    }
}
