package io.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code driftline demo} in its own JVM, as a user runs it: it starts the broker, the registry (a
 * child process), the topology and the simulator, prints alerts, and on Ctrl-C (SIGINT) stops
 * everything, leaving no process behind.
 */
class DemoIT {

    @Test
    void shouldShowAlertsAndStopCleanlyOnCtrlC() throws Exception {
        Path dataDir = Files.createTempDirectory("driftline-demo-it");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo",
                "--data-dir", dataDir.toString(),
                "--set", "embedded.broker.port=0", "--set", "embedded.controller.port=0",
                "--set", "embedded.registry.port=0")
                .redirectError(dataDir.resolve("demo.err").toFile())
                .start();
        try {
            CompletableFuture<String> firstRiskAlert = CompletableFuture.supplyAsync(() -> firstLine(demo, "FAILURE_RISK"));
            String alert = firstRiskAlert.get(4, TimeUnit.MINUTES);
            assertThat(alert).contains("likely to fail");
            List<ProcessHandle> children = demo.descendants().toList();
            assertThat(children).as("the embedded registry runs as a child process").isNotEmpty();

            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();

            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo exits after Ctrl-C").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("child %s", child.pid()).isFalse();
            }
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    private static String firstLine(Process process, String containing) {
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.contains(containing)) {
                    return line;
                }
                seen.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("demo ended without '" + containing + "'; it printed " + seen);
    }
}
