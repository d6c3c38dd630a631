package io.driftline.sim;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.SensorReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A deterministic fleet of machines: each reports its sensors every reading interval (simulated
 * time), occasionally starts to degrade, shows it in its sensors (temperature, vibration and
 * current up; speed and pressure down, accelerating towards the end), fails, is repaired and starts
 * healthy again. A scripted {@link Scenario} adds drift at a chosen time. The same settings and seed
 * always give the same events in the same order. Each FAILURE carries its ground truth
 * ({@link SimulatedFailure}: when the machine began to degrade), by which alerts' lead times are judged.
 */
public final class FleetSimulator implements Iterator<FleetSimulator.Event> {

    private static final double DAY_MILLIS = Duration.ofDays(1).toMillis();
    /** How long the {@link Scenario#SEASONAL} rise of the ambient temperature takes. */
    static final Duration SEASONAL_RAMP = Duration.ofDays(2);

    /**
     * @param devices machines at the start
     * @param seed seed of every random choice
     * @param start simulated time of the first readings
     * @param readingInterval simulated time between two readings of a machine
     * @param failuresPerDevicePerDay how often a machine starts a degradation that ends in failure
     * @param degradation how long a degradation lasts until the failure: the shortest, when
     *     {@code longestDegradation} is longer
     * @param longestDegradation the longest degradation: each degradation draws its length uniformly
     *     between {@code degradation} and this (equal: every degradation lasts {@code degradation}, and
     *     nothing is drawn, so the fleet is the one a fixed length always gave)
     * @param healthyFor simulated time from the start during which no machine starts to degrade: a
     *     cold start, with no failure before it plus {@code degradation} (zero: degradations from the
     *     first reading on)
     * @param repair how long a failed machine is down before its REPAIR
     * @param scenario scripted drift
     * @param driftAt simulated time from the start at which the scenario begins
     * @param labelHorizon when not null, readings carry the in-band oracle label: "failure" when the
     *     machine will fail within this horizon, else "normal"
     */
    public record Settings(int devices, long seed, Instant start, Duration readingInterval,
                           double failuresPerDevicePerDay, Duration degradation, Duration longestDegradation,
                           Duration healthyFor, Duration repair, Scenario scenario, Duration driftAt,
                           Duration labelHorizon) {
        public Settings {
            if (devices < 1) {
                throw new IllegalArgumentException("devices must be at least 1");
            }
            if (readingInterval.isZero() || readingInterval.isNegative()) {
                throw new IllegalArgumentException("readingInterval must be positive");
            }
            if (degradation.isZero() || degradation.isNegative() || longestDegradation.compareTo(degradation) < 0) {
                throw new IllegalArgumentException("degradations must be positive, the longest at least the shortest");
            }
            if (healthyFor.isNegative()) {
                throw new IllegalArgumentException("healthyFor must not be negative");
            }
        }

        /** Degradations of one length, from the first reading on. */
        public Settings(int devices, long seed, Instant start, Duration readingInterval, double failuresPerDevicePerDay,
                        Duration degradation, Duration repair, Scenario scenario, Duration driftAt,
                        Duration labelHorizon) {
            this(devices, seed, start, readingInterval, failuresPerDevicePerDay, degradation, degradation,
                    Duration.ZERO, repair, scenario, driftAt, labelHorizon);
        }
    }

    /** What the fleet emits, in simulated-time order. */
    public sealed interface Event permits Reading, Maintenance {
        String deviceId();

        long timeMillis();
    }

    public record Reading(SensorReading reading) implements Event {
        @Override
        public String deviceId() {
            return reading.getDeviceId();
        }

        @Override
        public long timeMillis() {
            return reading.getEventTime().toEpochMilli();
        }
    }

    /**
     * A maintenance event.
     *
     * @param failure the ground truth of a FAILURE (null for a REPAIR)
     */
    public record Maintenance(MaintenanceEvent event, SimulatedFailure failure) implements Event {
        @Override
        public String deviceId() {
            return event.getDeviceId();
        }

        @Override
        public long timeMillis() {
            return event.getEventTime().toEpochMilli();
        }
    }

    private final Settings settings;
    private final SplittableRandom random;
    private final List<Machine> machines = new ArrayList<>();
    private final Deque<Event> ready = new ArrayDeque<>();
    private long tick;
    private boolean newTypeJoined;

    public FleetSimulator(Settings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        for (int i = 0; i < settings.devices(); i++) {
            machines.add(new Machine(i, pickType(), random.split()));
        }
    }

    private MachineType pickType() {
        double draw = random.nextDouble();
        if (draw < MachineType.L.share()) {
            return MachineType.L;
        }
        return draw < MachineType.L.share() + MachineType.M.share() ? MachineType.M : MachineType.H;
    }

    /** The simulation never ends; callers take as many events as they need. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Event next() {
        while (ready.isEmpty()) {
            step();
        }
        Event next = ready.poll();
        if (next == null) {
            throw new NoSuchElementException();
        }
        return next;
    }

    /** One reading interval: every machine that is up reports; degradations, failures and repairs happen. */
    private void step() {
        long now = settings.start().toEpochMilli() + tick * settings.readingInterval().toMillis();
        long sinceStart = now - settings.start().toEpochMilli();
        if (settings.scenario() == Scenario.NEW_MACHINE_TYPE && !newTypeJoined && sinceStart >= settings.driftAt().toMillis()) {
            newTypeJoined = true;
            int joining = Math.max(1, settings.devices() / 5);
            for (int i = 0; i < joining; i++) {
                machines.add(new Machine(machines.size(), MachineType.X, random.split()));
            }
        }
        for (Machine machine : machines) {
            // A millisecond per device keeps event times distinct and the order stable.
            machine.step(now + machine.index, sinceStart, ready);
        }
        tick++;
    }

    private final class Machine {
        private final int index;
        private final MachineType type;
        private final SplittableRandom random;
        private final String deviceId;
        private long sequence;
        private long degradingSince = -1;
        private long degradationMillis;
        private long downUntil = -1;
        private double toolWear;

        Machine(int index, MachineType type, SplittableRandom random) {
            this.index = index;
            this.type = type;
            this.random = random;
            this.deviceId = String.format("%s-%05d", type.name(), index);
        }

        void step(long now, long sinceStart, Deque<Event> out) {
            if (downUntil >= 0) {
                if (now < downUntil) {
                    return;
                }
                downUntil = -1;
                out.add(maintenance(now, MaintenanceKind.REPAIR, "machine restored after failure", null));
            }
            double intervalDays = settings.readingInterval().toMillis() / DAY_MILLIS;
            if (degradingSince < 0 && sinceStart >= settings.healthyFor().toMillis()
                    && random.nextDouble() < settings.failuresPerDevicePerDay() * intervalDays) {
                degradingSince = now;
                degradationMillis = degradationLength();
            }
            double progress = degradingSince < 0 ? 0 : Math.min(1.0, (now - degradingSince) / (double) degradationMillis);
            out.add(new Reading(reading(now, sinceStart, progress)));
            if (progress >= 1.0) {
                SimulatedFailure failure = new SimulatedFailure(deviceId, type.name(), Instant.ofEpochMilli(degradingSince),
                        Instant.ofEpochMilli(now + 1));
                out.add(maintenance(now + 1, MaintenanceKind.FAILURE, "machine stopped: " + failedComponent(), failure));
                degradingSince = -1;
                toolWear = 0;
                downUntil = now + settings.repair().toMillis();
            }
        }

        /** Draws only for a range, so that a fixed length leaves the random sequence, and the fleet, as it was. */
        private long degradationLength() {
            long shortest = settings.degradation().toMillis();
            long longest = settings.longestDegradation().toMillis();
            return longest == shortest ? shortest : random.nextLong(shortest, longest + 1);
        }

        private String failedComponent() {
            return switch (random.nextInt(3)) {
                case 0 -> "spindle bearing";
                case 1 -> "tool";
                default -> "cooling pump";
            };
        }

        private SensorReading reading(long now, long sinceStart, double progress) {
            double effect = progress * progress;
            boolean drifted = sinceStart >= settings.driftAt().toMillis();
            double ambient = 3 * Math.sin(2 * Math.PI * (now % (long) DAY_MILLIS) / DAY_MILLIS);
            if (settings.scenario() == Scenario.SEASONAL && drifted) {
                ambient += 8 * Math.min(1.0, (sinceStart - settings.driftAt().toMillis()) / (double) SEASONAL_RAMP.toMillis());
            }
            toolWear = Math.min(250, toolWear + settings.readingInterval().toMillis() / 60_000.0 * 0.05);

            Map<String, Double> sensors = new HashMap<>();
            double temperature = value(MachineType.TEMPERATURE) + ambient + 2 * effect;
            if (settings.scenario() == Scenario.RECALIBRATION && drifted) {
                temperature += 6;
            }
            sensors.put(MachineType.TEMPERATURE, temperature);
            sensors.put(MachineType.PROCESS_TEMPERATURE, value(MachineType.PROCESS_TEMPERATURE) + ambient + 8 * effect);
            sensors.put(MachineType.SPEED, value(MachineType.SPEED) * (1 - 0.08 * effect));
            sensors.put(MachineType.TORQUE, value(MachineType.TORQUE) * (1 + 0.3 * effect));
            double vibration = value(MachineType.VIBRATION) + 6 * effect;
            if (settings.scenario() == Scenario.FIRMWARE && drifted && type == MachineType.M) {
                vibration *= 2.5;
            }
            sensors.put(MachineType.VIBRATION, vibration);
            sensors.put(MachineType.CURRENT, value(MachineType.CURRENT) * (1 + 0.25 * effect));
            sensors.put(MachineType.PRESSURE, value(MachineType.PRESSURE) * (1 - 0.15 * effect));
            sensors.put(MachineType.TOOL_WEAR, toolWear);

            return SensorReading.newBuilder()
                    .setDeviceId(deviceId)
                    .setMachineType(type.name())
                    .setEventTime(Instant.ofEpochMilli(now))
                    .setSequence(++sequence)
                    .setSensors(sensors)
                    .setLabel(settings.labelHorizon() == null ? null : oracleLabel(now))
                    .setTags(Map.of("site", "plant-" + (index % 3 + 1)))
                    .build();
        }

        private String oracleLabel(long now) {
            if (degradingSince < 0) {
                return "normal";
            }
            long failsAt = degradingSince + degradationMillis;
            return failsAt - now <= settings.labelHorizon().toMillis() ? "failure" : "normal";
        }

        private double value(String sensor) {
            return type.nominal().get(sensor) + random.nextGaussian() * type.noise().get(sensor);
        }

        private Maintenance maintenance(long time, MaintenanceKind kind, String description, SimulatedFailure failure) {
            return new Maintenance(MaintenanceEvent.newBuilder()
                    .setDeviceId(deviceId)
                    .setEventTime(Instant.ofEpochMilli(time))
                    .setKind(kind)
                    .setComponent(kind == MaintenanceKind.FAILURE ? description.substring(description.indexOf(':') + 2) : null)
                    .setDescription(description)
                    .build(), failure);
        }
    }
}
