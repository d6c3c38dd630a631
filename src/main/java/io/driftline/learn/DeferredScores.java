package io.driftline.learn;

import io.driftline.learn.OnlineModel.DeferredScore;
import java.io.InvalidObjectException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.PriorityQueue;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * A model's predictions trained on but not yet scored, in scoring order, serialised as one packed
 * array ({@link #pack}) instead of a record and an array per score: Java serialisation of the
 * tens of thousands of scores a model waits on over a label horizon was most of a snapshot's encoding
 * time (and, read back, of its decoding), and most of its bytes.
 *
 * <p>The packed form is in scoring order, whatever the heap's layout: scores read back pack to the
 * same bytes as before.
 */
final class DeferredScores extends PriorityQueue<DeferredScore> {

    @Serial
    private static final long serialVersionUID = 1L;

    DeferredScores() {
    }

    /** The same scores in the same heap order (a queue read from a snapshot written before this form). */
    DeferredScores(PriorityQueue<DeferredScore> scores) {
        super(scores);
    }

    @Serial
    private Object writeReplace() {
        return new Packed(pack(this));
    }

    /**
     * The scores in scoring order: varint count, then per score the zig-zag varlong differences of
     * its prediction time and order from the previous score's, its true class, its predicted index
     * plus one, and its predictions by slot (varint length plus one, 0 for none, then each plus one).
     * In scoring order the differences are short, and the bytes do not depend on the heap's layout,
     * which a queue read back from them does not share with the one that wrote them.
     */
    static byte[] pack(PriorityQueue<DeferredScore> queue) {
        DeferredScore[] scores = queue.toArray(new DeferredScore[0]);
        Arrays.sort(scores);
        // The longest each can take: two varlongs and three varints, and a varint per slot.
        int longest = 5;
        for (DeferredScore score : scores) {
            longest += 35 + (score.bySlot() == null ? 0 : 5 * score.bySlot().length);
        }
        ByteBuffer out = ByteBuffer.allocate(longest);
        ByteUtils.writeUnsignedVarint(scores.length, out);
        long time = 0;
        long order = 0;
        for (DeferredScore score : scores) {
            ByteUtils.writeVarlong(score.predictedAt() - time, out);
            ByteUtils.writeVarlong(score.order() - order, out);
            time = score.predictedAt();
            order = score.order();
            ByteUtils.writeUnsignedVarint(score.trueClass(), out);
            ByteUtils.writeUnsignedVarint(score.predictedIndex() + 1, out);
            int[] bySlot = score.bySlot();
            ByteUtils.writeUnsignedVarint(bySlot == null ? 0 : bySlot.length + 1, out);
            if (bySlot != null) {
                for (int predicted : bySlot) {
                    ByteUtils.writeUnsignedVarint(predicted + 1, out);
                }
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The queue {@link #pack} packed, in the same array order. */
    static DeferredScores unpack(byte[] packed) throws InvalidObjectException {
        ByteBuffer in = ByteBuffer.wrap(packed);
        try {
            int count = ByteUtils.readUnsignedVarint(in);
            if (count < 0 || count > packed.length) {
                throw new InvalidObjectException("deferred scores: " + count + " in " + packed.length + " bytes");
            }
            DeferredScores queue = new DeferredScores();
            long time = 0;
            long order = 0;
            for (int i = 0; i < count; i++) {
                time += ByteUtils.readVarlong(in);
                order += ByteUtils.readVarlong(in);
                int trueClass = ByteUtils.readUnsignedVarint(in);
                int predictedIndex = ByteUtils.readUnsignedVarint(in) - 1;
                int slots = ByteUtils.readUnsignedVarint(in) - 1;
                if (trueClass < 0 || slots > in.remaining()) {
                    throw new InvalidObjectException("deferred scores: class " + trueClass + ", " + slots
                            + " slots with " + in.remaining() + " bytes left");
                }
                int[] bySlot = slots < 0 ? null : new int[slots];
                for (int slot = 0; slot < slots; slot++) {
                    bySlot[slot] = ByteUtils.readUnsignedVarint(in) - 1;
                }
                // In scoring order each lands last, without moving another.
                queue.add(new DeferredScore(time, order, trueClass, predictedIndex, bySlot));
            }
            if (in.hasRemaining()) {
                throw new InvalidObjectException("deferred scores: " + in.remaining() + " bytes left over");
            }
            return queue;
        } catch (RuntimeException e) {
            InvalidObjectException invalid = new InvalidObjectException("deferred scores: " + e);
            invalid.initCause(e);
            throw invalid;
        }
    }

    /** What a snapshot holds in place of the queue. */
    private record Packed(byte[] scores) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        @Serial
        private Object readResolve() throws InvalidObjectException {
            return unpack(scores);
        }
    }
}
