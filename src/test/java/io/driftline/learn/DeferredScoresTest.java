package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.learn.OnlineModel.DeferredScore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeferredScoresTest {

    @Test
    void shouldUnpackTheScoresInTheirScoringOrderWhateverTheHeapsLayout() throws InvalidObjectException {
        Random random = new Random(11);
        PriorityQueue<DeferredScore> queue = new PriorityQueue<>();
        for (long order = 0; order < 5_000; order++) {
            int[] bySlot = random.nextInt(3) == 0 ? null : new int[random.nextInt(4)];
            if (bySlot != null) {
                Arrays.setAll(bySlot, slot -> random.nextInt(3) - 1);
            }
            // Labels come out of prediction order: a failure's labels hours after the normal ones around them.
            queue.add(new DeferredScore(1_767_225_600_000L + random.nextInt(7_200_000) - 3_600_000, order,
                    random.nextInt(2), random.nextInt(3) - 1, bySlot));
            if (random.nextInt(4) == 0) {
                queue.poll();
            }
        }
        byte[] packed = DeferredScores.pack(queue);

        DeferredScores unpacked = DeferredScores.unpack(packed);

        assertThat(DeferredScores.pack(unpacked)).as("packed again from another layout").isEqualTo(packed);
        assertThat(unpacked).hasSameSizeAs(queue);
        while (!queue.isEmpty()) {
            assertSameScores(new Object[] {unpacked.poll()}, new Object[] {queue.poll()});
        }
        assertThat(unpacked).isEmpty();
    }

    /** Labels a few readings late and out of order, scored at each release; one challenger, so scores carry slots. */
    @Test
    void shouldContinueIdenticallyAcrossSnapshotsWhileScoresWait() {
        MoaStreams.Source source = MoaStreams.open(OnlineModelTest.AGRAWAL_DRIFT);
        ModelSettings settings = withChallenger(source, "bayes.NaiveBayes");
        OnlineModel uninterrupted = OnlineModel.create(settings);
        OnlineModel restored = OnlineModel.create(settings);
        Random random = new Random(3);
        for (long i = 1; i <= 20_000; i++) {
            LabelledObservation next = source.next();
            Scored expected = uninterrupted.predict(next.observation());
            Scored actual = restored.predict(next.observation());
            assertThat(actual.probabilities()).containsExactly(expected.probabilities());
            long predictedAt = i - random.nextInt(40);
            uninterrupted.learnDeferred(next.observation(), next.label(), expected, predictedAt);
            restored.learnDeferred(next.observation(), next.label(), actual, predictedAt);
            if (i % 50 == 0) {
                assertThat(restored.releaseScores(i - 60)).isEqualTo(uninterrupted.releaseScores(i - 60));
            }
            if (i % 2_000 == 1_000) {
                restored = roundTrip(restored, settings);
                assertThat(restored.deferredScores()).isPositive().isEqualTo(uninterrupted.deferredScores());
            }
        }
        assertThat(restored.scoredOutOfOrder()).isEqualTo(uninterrupted.scoredOutOfOrder());
        assertThat(restored.snapshot().evaluation()).usingRecursiveComparison()
                .isEqualTo(uninterrupted.snapshot().evaluation());
        assertThat(restored.snapshot().challengers().get(0).evaluation()).usingRecursiveComparison()
                .isEqualTo(uninterrupted.snapshot().challengers().get(0).evaluation());
        assertThat(restored.snapshot().conceptDrifts()).isEqualTo(uninterrupted.snapshot().conceptDrifts());
    }

    /**
     * A snapshot written before the packed form holds a plain queue, score by score: it is read as it
     * was, and the next snapshot packs it, in a fraction of the bytes.
     */
    @Test
    void shouldReadTheScoresOfASnapshotWrittenBeforeThePackedForm() throws Exception {
        MoaStreams.Source source = MoaStreams.open(OnlineModelTest.AGRAWAL);
        ModelSettings settings = MoaReference.settingsFor(source, "trees.HoeffdingTree", Adaptation.RESET_ON_DRIFT);
        OnlineModel model = OnlineModel.create(settings);
        for (long i = 1; i <= 5_000; i++) {
            LabelledObservation next = source.next();
            model.learnDeferred(next.observation(), next.label(), model.predict(next.observation()), i);
        }
        byte[] packed = serialise(model);
        Field deferred = OnlineModel.class.getDeclaredField("deferred");
        deferred.setAccessible(true);
        @SuppressWarnings("unchecked")
        PriorityQueue<DeferredScore> scores = (PriorityQueue<DeferredScore>) deferred.get(model);
        deferred.set(model, new PriorityQueue<>(scores));
        byte[] scoreByScore = serialise(model);

        OnlineModel restored = deserialise(scoreByScore, settings);

        assertThat(deferred.get(restored)).isInstanceOf(DeferredScores.class);
        assertThat(packed.length).as("snapshot bytes, packed against score by score")
                .isLessThan(scoreByScore.length / 3);
        assertThat(restored.releaseScores(Long.MAX_VALUE)).isEqualTo(model.releaseScores(Long.MAX_VALUE));
        assertThat(restored.snapshot().evaluation()).usingRecursiveComparison()
                .isEqualTo(model.snapshot().evaluation());
    }

    /** Snapshot bytes come from a changelog: anything but the packed form is refused, and says so. */
    @Test
    void shouldRefuseWhatIsNotAPackedQueue() {
        PriorityQueue<DeferredScore> queue = new PriorityQueue<>();
        for (long order = 0; order < 50; order++) {
            queue.add(new DeferredScore(order * 60_000, order, 0, 0, order % 2 == 0 ? null : new int[] {0, -1}));
        }
        byte[] packed = DeferredScores.pack(queue);
        for (int length = 0; length < packed.length; length++) {
            byte[] truncated = Arrays.copyOf(packed, length);
            assertThatThrownBy(() -> DeferredScores.unpack(truncated)).isInstanceOf(InvalidObjectException.class);
        }
        assertThatThrownBy(() -> DeferredScores.unpack(Arrays.copyOf(packed, packed.length + 1)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("left over");
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            try {
                DeferredScores.unpack(noise);
            } catch (InvalidObjectException refused) {
                assertThat(refused).hasMessageStartingWith("deferred scores");
            }
        }
    }

    private static void assertSameScores(Object[] actual, Object[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            DeferredScore a = (DeferredScore) actual[i];
            DeferredScore e = (DeferredScore) expected[i];
            assertThat(List.of(a.predictedAt(), a.order(), (long) a.trueClass(), (long) a.predictedIndex()))
                    .as("score %d", i)
                    .isEqualTo(List.of(e.predictedAt(), e.order(), (long) e.trueClass(), (long) e.predictedIndex()));
            assertThat(a.bySlot()).as("slots of score %d", i).isEqualTo(e.bySlot());
        }
    }

    private static ModelSettings withChallenger(MoaStreams.Source source, String challenger) {
        ModelSettings s = MoaReference.settingsFor(source, "trees.HoeffdingTree", Adaptation.RESET_ON_DRIFT);
        return new ModelSettings(s.learnerSpec(), s.classes(), s.positiveClass(), s.declaredFeatures(), s.adaptation(),
                s.conceptDriftDetector(), s.conceptDriftDelta(), s.conceptDriftCooldown(), s.conceptDriftMinIncrease(),
                s.conceptDriftWarmup(), s.conceptDriftInputShift(), s.dataDrift(), s.evaluationWindow(),
                s.maxModelBytes(), s.anomalyDetector(), s.remainingLifeLearner(),
                new Lifecycle(List.of(challenger), new Lifecycle.Promotion(Lifecycle.Promotion.Metric.NONE, 0, 0),
                        Lifecycle.DEFAULT.versionsKept()));
    }

    private static OnlineModel roundTrip(OnlineModel model, ModelSettings settings) {
        try {
            return deserialise(serialise(model), settings);
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] serialise(OnlineModel model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        return bytes.toByteArray();
    }

    /** As a snapshot is read: Java serialisation, then the settings given back. */
    private static OnlineModel deserialise(byte[] bytes, ModelSettings settings)
            throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            OnlineModel restored = (OnlineModel) in.readObject();
            restored.attach(settings);
            return restored;
        }
    }
}
