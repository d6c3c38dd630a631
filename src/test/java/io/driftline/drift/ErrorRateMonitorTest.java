package io.driftline.drift;

import static org.assertj.core.api.Assertions.assertThat;

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
}
