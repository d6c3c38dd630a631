package io.driftline.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import moa.classifiers.core.driftdetection.ADWINChangeDetector;
import org.junit.jupiter.api.Test;

class ErrorRateMonitorTest {

    @Test
    void shouldFireExactlyWhereMoasAdwinChangeDetectorFires() {
        ErrorRateMonitor monitor = new ErrorRateMonitor("ADWINChangeDetector", 0.002, 0, 0, 0);
        ADWINChangeDetector moa = new ADWINChangeDetector();
        moa.deltaAdwinOption.setValue(0.002);
        Random random = new Random(42);
        List<ConceptDrift> ours = new ArrayList<>();
        List<Long> theirs = new ArrayList<>();
        for (long i = 1; i <= 30_000; i++) {
            double errorRate = i <= 10_000 ? 0.1 : i <= 20_000 ? 0.4 : 0.15;
            boolean error = random.nextDouble() < errorRate;
            monitor.add(error).ifPresent(ours::add);
            moa.input(error ? 1.0 : 0.0);
            if (moa.getChange()) {
                theirs.add(i);
            }
        }

        assertThat(ours).extracting(ConceptDrift::instance).containsExactlyElementsOf(theirs);
        ConceptDrift first = ours.get(0);
        assertThat(first.instance()).isGreaterThan(10_000);
        assertThat(first.errorRateAfter()).isGreaterThan(first.errorRateBefore());
        assertThat(first.windowWidth()).isPositive();
    }

    @Test
    void shouldReportOneDriftPerCooldown() {
        ErrorRateMonitor quiet = new ErrorRateMonitor("ADWINChangeDetector", 0.002, 5_000, 0, 0);
        ErrorRateMonitor moa = new ErrorRateMonitor("ADWINChangeDetector", 0.002, 0, 0, 0);
        Random random = new Random(42);
        List<ConceptDrift> reported = new ArrayList<>();
        List<ConceptDrift> all = new ArrayList<>();
        for (long i = 1; i <= 30_000; i++) {
            double errorRate = i <= 10_000 ? 0.1 : i <= 20_000 ? 0.4 : 0.15;
            boolean error = random.nextDouble() < errorRate;
            quiet.add(error).ifPresent(reported::add);
            moa.add(error).ifPresent(all::add);
        }

        assertThat(all).hasSizeGreaterThan(1);
        assertThat(reported).containsExactly(all.get(0));
    }

    @Test
    void shouldReportNoDriftNorWarningInTheWarmupOfANewModel() {
        long warmup = 3_000;
        ErrorRateMonitor moa = new ErrorRateMonitor("DDM", 0.002, 0, 0, 0);
        ErrorRateMonitor warming = new ErrorRateMonitor("DDM", 0.002, 0, 0, warmup);
        Random random = new Random(7);
        List<Long> all = new ArrayList<>();
        List<Long> reported = new ArrayList<>();
        long replacedAt = 0;
        for (long i = 1; i <= 60_000; i++) {
            boolean error = random.nextDouble() < 0.1 + 0.05 * ((i / 5_000) % 4);
            moa.add(error).ifPresent(drift -> all.add(drift.instance()));
            if (warming.add(error).isPresent()) {
                reported.add(i);
                warming.modelReplaced();
                replacedAt = i;
            } else if (warming.warningZone()) {
                assertThat(i).as("a warning after the warm-up").isGreaterThan(replacedAt + warmup);
            }
        }

        List<Long> expected = new ArrayList<>();
        long last = 0;
        for (long at : all) {
            if (at > last + warmup) {
                expected.add(at);
                last = at;
            }
        }
        assertThat(all).hasSizeGreaterThan(expected.size());
        assertThat(reported).isNotEmpty().containsExactlyElementsOf(expected);
    }

    @Test
    void shouldGiveAdwinTheConceptDriftDeltaUnlessItsSpecSetsOne() {
        assertThat(((ADWINChangeDetector) ErrorRateMonitor.newDetector("ADWINChangeDetector", 0.1))
                .deltaAdwinOption.getValue()).isEqualTo(0.1);
        assertThat(((ADWINChangeDetector) ErrorRateMonitor.newDetector("ADWINChangeDetector -a 0.01", 0.1))
                .deltaAdwinOption.getValue()).isEqualTo(0.01);
    }

    @Test
    void shouldBuildHddmWWithTheSpecsOptions() {
        assertThat(ErrorRateMonitor.newDetector("HDDM_W_Test -m 0.1 -d 0.01", 0.002)).isInstanceOfSatisfying(
                HddmWTest.class, hddm -> assertThat(List.of(hddm.lambdaOption.getValue(),
                        hddm.driftConfidenceOption.getValue())).containsExactly(0.1, 0.01));
    }

    /** MOA's HDDM_W_Test keeps its statistics in static fields; each model's must be its own, and checkpointed. */
    @Test
    void shouldKeepEachHddmWDetectorsStatisticsItsOwnAndInItsCheckpoint() throws Exception {
        ErrorRateMonitor alone = new ErrorRateMonitor("HDDM_W_Test", 0.002, 0, 0, 0);
        ErrorRateMonitor beside = new ErrorRateMonitor("HDDM_W_Test", 0.002, 0, 0, 0);
        ErrorRateMonitor other = new ErrorRateMonitor("HDDM_W_Test", 0.002, 0, 0, 0);
        Random random = new Random(3);
        Random noise = new Random(4);
        List<Long> expected = new ArrayList<>();
        List<Long> actual = new ArrayList<>();
        for (long i = 1; i <= 30_000; i++) {
            boolean error = random.nextDouble() < (i % 10_000 < 5_000 ? 0.1 : 0.3);
            alone.add(error).ifPresent(drift -> expected.add(drift.instance()));
        }
        random = new Random(3);
        for (long i = 1; i <= 30_000; i++) {
            boolean error = random.nextDouble() < (i % 10_000 < 5_000 ? 0.1 : 0.3);
            beside.add(error).ifPresent(drift -> actual.add(drift.instance()));
            other.add(noise.nextDouble() < 0.5);
            if (i == 12_345) {
                beside = roundTrip(beside);
                beside.configure("HDDM_W_Test", 0.002, 0, 0, 0);
            }
        }

        assertThat(actual).isNotEmpty().containsExactlyElementsOf(expected);
    }

    private static ErrorRateMonitor roundTrip(ErrorRateMonitor monitor) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(monitor);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ErrorRateMonitor) in.readObject();
        }
    }
}
