package io.driftline.topology;

import java.util.Arrays;

/**
 * How far in event time the device stage's partitions have come, from their progress marks in the
 * order they were read: the time up to which the model stage can release its inputs in event-time
 * order, as no partition it waits for will send an earlier one (save one out of order in its own
 * input). A partition that marked itself idle is not waited for until its next mark; one not heard
 * from yet is. No clock: the marks alone, read in log order, decide, so a model stage that is
 * behind in its own input cannot mistake its slowness for idle partitions.
 */
final class Watermark {

    private long[] marks;
    private boolean[] idle;

    Watermark(int partitions) {
        this.marks = new long[0];
        this.idle = new boolean[0];
        grow(partitions);
    }

    /** Partition {@code partition} has routed every input up to {@code eventTime} (save late ones). */
    void mark(int partition, long eventTime, boolean idle) {
        // A topic with more partitions than topic.partitions says: wait for those too.
        grow(partition + 1);
        marks[partition] = Math.max(marks[partition], eventTime);
        this.idle[partition] = idle;
    }

    /** The event time every partition that is not idle has passed; {@link Long#MAX_VALUE} when all are idle. */
    long at() {
        long min = Long.MAX_VALUE;
        for (int partition = 0; partition < marks.length; partition++) {
            if (!idle[partition]) {
                min = Math.min(min, marks[partition]);
            }
        }
        return min;
    }

    private void grow(int partitions) {
        if (partitions > marks.length) {
            int from = marks.length;
            marks = Arrays.copyOf(marks, partitions);
            idle = Arrays.copyOf(idle, partitions);
            Arrays.fill(marks, from, partitions, Long.MIN_VALUE);
        }
    }
}
