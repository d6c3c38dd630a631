package io.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the {@code driftline} command in-process and returns what it printed on stdout. */
public final class Cli {

    private Cli() {
    }

    public static String run(String... args) {
        return run(0, args);
    }

    /** Runs {@code args}, expecting the exit status {@code exitCode}, and returns stdout. */
    public static synchronized String run(int exitCode, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("exit code of driftline %s; output:%n%s", String.join(" ", args), output).isEqualTo(exitCode);
        return output;
    }
}
