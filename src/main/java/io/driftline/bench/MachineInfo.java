package io.driftline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a figure was measured on: cores, JVM, heap limit, and how busy the machine was. */
record MachineInfo(int cores, String java, String os, long maxHeapMb, String load) {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");

    static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() >> 20, loadAverage());
    }

    /** The 1, 5 and 15 minute load averages, as the kernel reports them; "" where there is no /proc. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(PROC_LOADAVG).trim().split("\\s+");
            return String.join(" ", List.of(fields).subList(0, 3));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Peak resident set size of this process in MB (VmHWM): the broker, Kafka Streams and the
     * learners all run in it; the schema registry is a child process and not counted. -1 without /proc.
     */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
