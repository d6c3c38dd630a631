package io.driftline.learn.legacy;

import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * {@code io.driftline.learn.FeatureSpace} as checkpoints written before its attributes were shared hold
 * it: its fields and serial version (read as the current class by {@link OlderCheckpoints}).
 */
public final class FeatureSpace implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> classes;
    private final List<String> names;
    private final List<List<String>> nominalValues;
    private final Map<String, Integer> indexByName;
    private final InstancesHeader header;

    public FeatureSpace(List<String> classes, List<String> names, List<List<String>> nominalValues,
                        Map<String, Integer> indexByName, InstancesHeader header) {
        this.classes = classes;
        this.names = names;
        this.nominalValues = nominalValues;
        this.indexByName = indexByName;
        this.header = header;
    }
}
