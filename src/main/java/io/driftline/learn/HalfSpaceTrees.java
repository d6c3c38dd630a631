package io.driftline.learn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import moa.classifiers.Classifier;
import moa.classifiers.oneclass.HSTrees;

/**
 * MOA's Streaming Half-Space Trees ({@code oneclass.HSTrees}; Tan, Ting and Liu, "Fast anomaly
 * detection for streaming data", IJCAI 2011), scoring and learning exactly as MOA's: the same trees
 * from the same random numbers, the same masses, the same arithmetic in the same order (tested against
 * MOA's own on long streams). Only the memory differs.
 *
 * <p>MOA builds every node as an object of 56 bytes: 2,550 of them, 143 KB, for the default forest of
 * 10 trees of depth 8, in every model, most of a per-device model's heap. Here a tree is arrays in
 * heap order (node {@code i}'s children are {@code 2i + 1} and {@code 2i + 2}). Its shape, each inner
 * node's split attribute and value, follows from the spec (its random seed) and the number of
 * dimensions alone, so it is built once and shared by every model ({@link Shape}); a model keeps only
 * its masses, the two counts of each node (MOA's {@code r} and {@code l}), in as few bytes as the
 * window size needs: one for MOA's default of 250, 5 KB for the default forest.
 */
final class HalfSpaceTrees implements Serializable {

    private static final long serialVersionUID = 1L;
    /** MOA's reference window ends after this many instances, whatever the window size. */
    private static final int FIRST_REFERENCE = 50;
    /** Deeper trees would not fit an int's node numbers; MOA's default is 15. */
    private static final int MAX_DEPTH = 24;
    private static final Map<ShapeKey, Shape> SHAPES = new ConcurrentHashMap<>();

    private final String spec;
    private final int windowSize;
    private final int numTrees;
    private final int maxDepth;
    private final double sizeLimit;
    private final double anomalyThreshold;
    private final int bytesPerMass;
    // 0 until the first instance fixes it, as MOA's forest is built then.
    private int dimensions;
    private int numInstances;
    private boolean referenceWindow = true;
    // MOA's r and l of every node, tree after tree, bytesPerMass bytes each, little-endian; null until the first instance.
    private byte[] reference;
    private byte[] latest;
    private transient Shape shape;

    private HalfSpaceTrees(String spec, HSTrees moa) {
        this.spec = spec;
        this.windowSize = moa.windowSizeOption.getValue();
        this.numTrees = moa.numTreesOption.getValue();
        this.maxDepth = moa.maxDepthOption.getValue();
        this.sizeLimit = moa.sizeLimitOption.getValue();
        this.anomalyThreshold = moa.anomalyThresholdOption.getValue();
        // A mass counts the instances of one window, or of the first reference window (51).
        this.bytesPerMass = bytesFor(Math.max(windowSize, FIRST_REFERENCE + 1));
    }

    /**
     * The forest of {@code spec} when it is MOA's own {@code HSTrees} (not a subclass) of a depth this
     * class covers; empty for any other one-class learner, which runs as MOA's object.
     */
    static Optional<HalfSpaceTrees> of(String spec) {
        Classifier learner = OnlineModel.newLearner(spec);
        if (learner.getClass() != HSTrees.class) {
            return Optional.empty();
        }
        HSTrees moa = (HSTrees) learner;
        int depth = moa.maxDepthOption.getValue();
        if (depth < 1 || depth > MAX_DEPTH || moa.numTreesOption.getValue() < 1 || moa.windowSizeOption.getValue() < 1) {
            return Optional.empty();
        }
        return Optional.of(new HalfSpaceTrees(spec, moa));
    }

    private static int bytesFor(int largest) {
        return largest <= 0xFF ? 1 : largest <= 0xFFFF ? 2 : 4;
    }

    /** MOA's {@code getAnomalyScore} of an instance of {@code values} (the class attribute's last). */
    double score(double[] values) {
        if (referenceWindow) {
            return 0.5;
        }
        double accumulatedScore = 0.0;
        int massLimit = (int) (Math.ceil(this.sizeLimit * this.windowSize));
        double maxScore = this.windowSize * Math.pow(2.0, this.maxDepth);
        for (int tree = 0; tree < numTrees; tree++) {
            accumulatedScore += (treeScore(tree, values, massLimit) / maxScore);
        }
        accumulatedScore = accumulatedScore / ((double) this.numTrees);
        return 0.5 - accumulatedScore + this.anomalyThreshold;
    }

    /** MOA's {@code HSTreeNode.score} from the root of {@code tree}. */
    private double treeScore(int tree, double[] values, int sizeLimit) {
        Shape forest = shape();
        int node = 0;
        int depth = 1;
        while (true) {
            int mass = mass(reference, tree * forest.nodesPerTree + node);
            if (node >= forest.innerPerTree || mass <= sizeLimit) {
                return mass * Math.pow(2.0, depth);
            }
            node = forest.child(tree, node, values);
            depth++;
        }
    }

    /** MOA's {@code trainOnInstanceImpl} of an instance of {@code values} (the class attribute's last). */
    void learn(double[] values) {
        if (this.numInstances == 0) {
            buildForest(values.length);
        }
        Shape forest = shape();
        byte[] masses = referenceWindow ? reference : latest;
        for (int tree = 0; tree < numTrees; tree++) {
            int node = 0;
            while (true) {
                increment(masses, tree * forest.nodesPerTree + node);
                if (node >= forest.innerPerTree) {
                    break;
                }
                node = forest.child(tree, node, values);
            }
        }
        if (this.numInstances > FIRST_REFERENCE) {
            referenceWindow = false;
        }
        if (this.numInstances % windowSize == 0) {
            // MOA's updateModel: the latest window becomes the reference.
            System.arraycopy(latest, 0, reference, 0, latest.length);
            Arrays.fill(latest, (byte) 0);
        }
        this.numInstances++;
    }

    /**
     * MOA builds the forest at its first instance, and again whenever its int count of instances comes
     * round to 0 (after 2^32 of them, 136 years at one a second), with the random numbers that follow;
     * this one builds it at the first only.
     */
    private void buildForest(int dimensions) {
        if (this.dimensions != 0) {
            throw new IllegalStateException("a half-space forest's count of instances came round to 0");
        }
        this.dimensions = dimensions;
        int nodes = numTrees * shape().nodesPerTree;
        reference = new byte[Math.multiplyExact(nodes, bytesPerMass)];
        latest = new byte[reference.length];
    }

    private Shape shape() {
        if (shape == null) {
            shape = SHAPES.computeIfAbsent(new ShapeKey(spec, dimensions), Shape::build);
        }
        return shape;
    }

    private int mass(byte[] masses, int node) {
        int at = node * bytesPerMass;
        int value = 0;
        for (int b = 0; b < bytesPerMass; b++) {
            value |= (masses[at + b] & 0xFF) << (8 * b);
        }
        return value;
    }

    private void increment(byte[] masses, int node) {
        int value = mass(masses, node) + 1;
        if (bytesPerMass < 4 && value >>> (8 * bytesPerMass) != 0) {
            throw new IllegalStateException("a half-space tree's mass outgrew " + bytesPerMass + " bytes");
        }
        int at = node * bytesPerMass;
        for (int b = 0; b < bytesPerMass; b++) {
            masses[at + b] = (byte) (value >>> (8 * b));
        }
    }

    private record ShapeKey(String spec, int dimensions) {
    }

    /** The trees of a forest, as MOA's {@code buildForest} makes them: what every model of the same spec and dimensions shares. */
    private static final class Shape {
        final int nodesPerTree;
        final int innerPerTree;
        // Of inner nodes, tree after tree, in heap order.
        private final int[] splitAttributes;
        private final double[] splitValues;

        private Shape(int trees, int maxDepth) {
            nodesPerTree = (1 << maxDepth) - 1;
            innerPerTree = (1 << (maxDepth - 1)) - 1;
            splitAttributes = new int[trees * innerPerTree];
            splitValues = new double[trees * innerPerTree];
        }

        /** The child of inner {@code node} of {@code tree} that {@code values} go to: MOA's {@code updateMass} and {@code score}. */
        int child(int tree, int node, double[] values) {
            int inner = tree * innerPerTree + node;
            return values[splitAttributes[inner]] > splitValues[inner] ? 2 * node + 2 : 2 * node + 1;
        }

        /** With a fresh MOA learner's random numbers, in the order MOA's {@code buildForest} draws them. */
        static Shape build(ShapeKey key) {
            HSTrees moa = (HSTrees) OnlineModel.newLearner(key.spec());
            int trees = moa.numTreesOption.getValue();
            int maxDepth = moa.maxDepthOption.getValue();
            int dimensions = key.dimensions();
            Shape shape = new Shape(trees, maxDepth);
            Random random = moa.classifierRandom;
            double[] max = new double[dimensions];
            double[] min = new double[dimensions];
            double sq;
            for (int tree = 0; tree < trees; tree++) {
                for (int j = 0; j < dimensions; j++) {
                    sq = random.nextDouble();
                    min[j] = sq - (2.0 * Math.max(sq, 1.0 - sq));
                    max[j] = sq + (2.0 * Math.max(sq, 1.0 - sq));
                }
                shape.grow(tree, 0, 1, maxDepth, min, max, random);
            }
            return shape;
        }

        /**
         * MOA's {@code HSTreeNode} constructor: it leaves {@code min} as the right subtree left it, and the
         * nodes built after it start from that, so this does too.
         */
        private void grow(int tree, int node, int depth, int maxDepth, double[] min, double[] max, Random random) {
            if (depth >= maxDepth) {
                return;
            }
            int inner = tree * innerPerTree + node;
            int attribute = (int) Math.floor((random.nextDouble() * (min.length)));
            double value = (min[attribute] + max[attribute]) / 2.0;
            splitAttributes[inner] = attribute;
            splitValues[inner] = value;
            double temp = max[attribute];
            max[attribute] = value;
            grow(tree, 2 * node + 1, depth + 1, maxDepth, min, max, random);
            max[attribute] = temp;
            min[attribute] = value;
            grow(tree, 2 * node + 2, depth + 1, maxDepth, min, max, random);
        }
    }
}
