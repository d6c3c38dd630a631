package io.driftline.bench;

import com.yahoo.labs.samoa.instances.Instance;
import io.driftline.avro.SensorReading;
import io.driftline.learn.FeatureSpace;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One reading through the learning core: reading to MOA instance, and the prequential step
 * (predict, then score and train) of one model fed a fleet's readings in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LearningBenchmark {

    private static final int READINGS = 50_000;

    private List<SensorReading> readings;
    private List<Observation> observations;
    private FeatureSpace space;
    private OnlineModel model;
    private int next;

    @Setup
    public void setUp() {
        readings = BenchFleet.readings(READINGS);
        observations = BenchFleet.observations(readings);
        space = new FeatureSpace(BenchFleet.MODEL.declaredFeatures(), BenchFleet.MODEL.classes());
        observations.forEach(space::grow);
        model = OnlineModel.create(BenchFleet.MODEL);
    }

    @Benchmark
    public Instance readingToInstance() {
        return space.toInstance(observations.get(advance()), -1);
    }

    @Benchmark
    public boolean predictAndTrain() {
        int i = advance();
        Observation observation = observations.get(i);
        SensorReading reading = readings.get(i);
        Scored scored = model.predict(observation, reading.getSensors(), reading.getDeviceId(),
                reading.getEventTime().toEpochMilli());
        return model.learn(observation, reading.getLabel(), scored).correct();
    }

    private int advance() {
        int i = next;
        next = (next + 1) % READINGS;
        return i;
    }
}
