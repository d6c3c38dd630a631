package io.driftline.sim;

import io.driftline.config.ModelScope;
import io.driftline.drift.ScriptedChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link Scenario} changes, per model, as its documentation states it: the changes drift
 * alerts should detect, and the models it should bring. Everything else the simulator does (the
 * daily ambient cycle, machines degrading and failing, the labels a failure resolves at once) is
 * normal operation, not drift.
 *
 * @param scenario  the scenario
 * @param changes   the scripted changes, per model
 * @param models    the models of the fleet at the start
 * @param newModels the models the scenario adds
 */
public record GroundTruth(Scenario scenario, List<ScriptedChange> changes, Set<String> models, Set<String> newModels) {

    private static final List<MachineType> FLEET = List.of(MachineType.L, MachineType.M, MachineType.H);

    public GroundTruth {
        changes = List.copyOf(changes);
        models = Set.copyOf(models);
        newModels = Set.copyOf(newModels);
    }

    /**
     * The ground truth of {@code scenario} begun at {@code driftAt} after {@code start}, for models
     * of {@code scope} (machine-type or fleet: a per-device scope has no model a scenario names).
     */
    public static GroundTruth of(Scenario scenario, Instant start, Duration driftAt, ModelScope scope) {
        if (scope == ModelScope.DEVICE) {
            throw new IllegalArgumentException("scenarios script changes per machine type, not per device");
        }
        Instant at = start.plus(driftAt);
        Set<String> models = new LinkedHashSet<>();
        FLEET.forEach(type -> models.add(modelKey(scope, type)));
        // A set: in fleet scope the changes of every type are one change of the fleet model.
        Set<ScriptedChange> changes = new LinkedHashSet<>();
        Set<String> newModels = new LinkedHashSet<>();
        switch (scenario) {
            case NONE -> {
            }
            case RECALIBRATION -> models.forEach(model -> {
                changes.add(ScriptedChange.data(model, MachineType.TEMPERATURE, at, Duration.ZERO));
                changes.add(ScriptedChange.concept(model, at, false));
            });
            case FIRMWARE -> {
                String model = modelKey(scope, MachineType.M);
                changes.add(ScriptedChange.concept(model, at, true));
                changes.add(ScriptedChange.data(model, MachineType.VIBRATION, at, Duration.ZERO));
            }
            case SEASONAL -> models.forEach(model -> {
                changes.add(ScriptedChange.data(model, MachineType.TEMPERATURE, at, FleetSimulator.SEASONAL_RAMP));
                changes.add(ScriptedChange.data(model, MachineType.PROCESS_TEMPERATURE, at,
                        FleetSimulator.SEASONAL_RAMP));
            });
            case NEW_MACHINE_TYPE -> {
                String model = modelKey(scope, MachineType.X);
                if (!models.contains(model)) {
                    newModels.add(model);
                }
            }
            default -> throw new IllegalArgumentException("no ground truth for scenario " + scenario);
        }
        return new GroundTruth(scenario, new ArrayList<>(changes), models, newModels);
    }

    /** Whether the scenario is the stationary one, on which any drift alert is a false one. */
    public boolean stationary() {
        return scenario == Scenario.NONE;
    }

    private static String modelKey(ModelScope scope, MachineType type) {
        // The key of a machine-type or fleet model does not depend on the device.
        return scope.modelKey(null, type.name());
    }
}
