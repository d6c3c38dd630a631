package io.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void shouldShowShareCountsRateAndTimeLeft() {
        assertThat(ProgressBar.line("producing", 500_000, 2_000_000, TimeUnit.SECONDS.toNanos(5)))
                .isEqualTo("producing [######------------------]  25%  500,000 of 2,000,000 records  100,000/s  ETA 0:00:15");
        assertThat(ProgressBar.line("reading", 3L << 30, 4L << 30, TimeUnit.SECONDS.toNanos(3)))
                .isEqualTo("reading   [##################------]  75%  3.00 GB of 4.00 GB  1.00 GB/s  ETA 0:00:01");
        assertThat(ProgressBar.line("producing", 0, 10, 0)).endsWith("ETA --:--:--");
        assertThat(ProgressBar.line("producing", 10, 10, 0)).endsWith("ETA 0:00:00");
        assertThat(ProgressBar.line("producing", 3_600 * 2 + 61, 3_600 * 4, TimeUnit.SECONDS.toNanos(7_261)))
                .endsWith("1/s  ETA 1:58:59");
    }

    @Test
    void shouldPrintALineEveryTenSecondsAndAtTheEndWhenNotOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, now::get);

        for (int second = 0; second <= 25; second++) {
            now.set(TimeUnit.SECONDS.toNanos(second));
            bar.producing(second * 100L, 10_000);
        }
        bar.producing(10_000, 10_000);
        bar.finish();

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .extracting(line -> line.replaceAll(" +", " "))
                .containsExactly("producing [##----------------------] 10% 1,000 of 10,000 records 100/s ETA 0:01:30",
                        "producing [#####-------------------] 20% 2,000 of 10,000 records 100/s ETA 0:01:20",
                        "producing [########################] 100% 10,000 of 10,000 records 400/s ETA 0:00:00");
    }

    @Test
    void shouldRedrawInPlaceOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, now::get);

        bar.reading(0, 100, 0);
        now.set(TimeUnit.SECONDS.toNanos(1));
        bar.reading(50, 100, 10);
        bar.reading(100, 100, 20);
        bar.producing(20, 20);

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.split("\r", -1)).hasSize(4);
        assertThat(out.split("\n", -1)).as("one line per phase").hasSize(3);
        assertThat(out).contains("reading   [############------------]  50%", "20 rows", "producing [########################] 100%");
    }
}
