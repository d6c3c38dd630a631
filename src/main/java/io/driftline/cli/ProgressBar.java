package io.driftline.cli;

import io.driftline.backfill.Backfill;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The backfill's progress on stderr: a bar redrawn in place on a terminal, a line every ten
 * seconds otherwise (logs, CI). Reading is measured in bytes of the files, producing in records;
 * both with their rate and the time left at that rate.
 */
final class ProgressBar implements Backfill.Progress {

    private static final int WIDTH = 24;
    private static final long TERMINAL_EVERY = Duration.ofMillis(250).toNanos();
    private static final long LOG_EVERY = Duration.ofSeconds(10).toNanos();

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private String phase;
    private long phaseStart;
    private long lastDrawn;
    private boolean open;

    ProgressBar(PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    @Override
    public void reading(long bytesRead, long totalBytes, long rows) {
        update("reading", bytesRead >= totalBytes, elapsed -> line("reading", bytesRead, totalBytes, elapsed)
                + String.format(Locale.ROOT, "  %,d rows", rows));
    }

    @Override
    public void producing(long produced, long total) {
        update("producing", produced >= total, elapsed -> line("producing", produced, total, elapsed));
    }

    /** Ends the bar's line. */
    void finish() {
        if (open) {
            out.println();
            open = false;
        }
    }

    private interface Text {
        String at(long elapsedNanos);
    }

    private void update(String name, boolean done, Text text) {
        long now = nanoTime.getAsLong();
        if (!name.equals(phase)) {
            finish();
            phase = name;
            phaseStart = now;
            lastDrawn = now;
        }
        if (!done && now - lastDrawn < (terminal ? TERMINAL_EVERY : LOG_EVERY)) {
            return;
        }
        lastDrawn = now;
        String line = text.at(now - phaseStart);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            open = true;
            if (done) {
                finish();
            }
        } else {
            out.println(line);
        }
    }

    /**
     * One progress line: {@code phase [#####-----]  45%  done of total  rate  ETA h:mm:ss}, in bytes
     * for reading and records for producing.
     */
    static String line(String phase, long done, long total, long elapsedNanos) {
        boolean bytes = phase.equals("reading");
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = done >= total ? clock(0) : rate > 0 ? clock((long) Math.ceil((total - done) / rate)) : "--:--:--";
        return String.format(Locale.ROOT, "%-9s [%s%s] %3d%%  %s of %s  %s  ETA %s", phase, "#".repeat(filled),
                "-".repeat(WIDTH - filled), Math.round(fraction * 100),
                bytes ? size(done) : String.format(Locale.ROOT, "%,d", done),
                bytes ? size(total) : String.format(Locale.ROOT, "%,d records", total),
                bytes ? size((long) rate) + "/s" : String.format(Locale.ROOT, "%,d/s", Math.round(rate)), eta);
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    private static String size(long bytes) {
        if (bytes < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
    }
}
