package io.driftline.state;

import io.driftline.features.RollingFeatures;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * A device's feature names in a device checkpoint. Most names are a sensor's own or one of its
 * rolling features ({@code <sensor>.<suffix>}), so each sensor name is written once and every
 * feature as a suffix code and a reference to it: about 4 times fewer bytes than the names
 * themselves, on every checkpoint of every device. Any other name is written whole.
 */
final class FeatureNames {

    /** Suffix codes 1..6 are positions in this list: part of the checkpoint format, append only. */
    private static final List<String> SUFFIXES = List.of(RollingFeatures.MEAN, RollingFeatures.MIN,
            RollingFeatures.MAX, RollingFeatures.STD, RollingFeatures.SLOPE, RollingFeatures.DELTA);

    private FeatureNames() {
    }

    static byte[] encode(List<String> names) {
        Map<String, Integer> bases = new LinkedHashMap<>();
        int[] codes = new int[names.size()];
        int[] references = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int dot = name.lastIndexOf('.');
            int code = dot < 0 ? 0 : SUFFIXES.indexOf(name.substring(dot + 1)) + 1;
            String base = code == 0 ? name : name.substring(0, dot);
            codes[i] = code;
            references[i] = bases.computeIfAbsent(base, unused -> bases.size());
        }
        EncodeBuffer bytes = new EncodeBuffer(16 * bases.size() + 2 * names.size() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ByteUtils.writeVarint(bases.size(), out);
            for (String base : bases.keySet()) {
                out.writeUTF(base);
            }
            ByteUtils.writeVarint(names.size(), out);
            for (int i = 0; i < names.size(); i++) {
                out.writeByte(codes[i]);
                ByteUtils.writeVarint(references[i], out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The names {@link #encode} wrote; not interned: the device's layout interns what it keeps. */
    static List<String> decode(DataInputStream in) throws IOException {
        List<String> bases = new ArrayList<>();
        for (int i = readCount(in); i > 0; i--) {
            bases.add(in.readUTF());
        }
        int count = readCount(in);
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int code = in.readUnsignedByte();
            int reference = ByteUtils.readVarint(in);
            if (code > SUFFIXES.size() || reference < 0 || reference >= bases.size()) {
                throw new IOException("corrupt feature name: suffix " + code + " of sensor " + reference);
            }
            String base = bases.get(reference);
            names.add(code == 0 ? base : base + "." + SUFFIXES.get(code - 1));
        }
        return names;
    }

    /**
     * A count or index, each counted thing taking at least a byte: a corrupt one fails here rather
     * than as a huge allocation.
     */
    private static int readCount(DataInputStream in) throws IOException {
        int count = ByteUtils.readVarint(in);
        if (count < 0 || count > in.available()) {
            throw new IOException("corrupt count " + count);
        }
        return count;
    }
}
