package io.driftline.cli;

import io.driftline.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code driftline} command: one subcommand per job. */
@Command(name = "driftline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Online learning and drift detection on Kafka Streams with MOA.",
        subcommands = {RunCommand.class, BrokerCommand.class, RegistryCommand.class, ReplayCommand.class, SimulateCommand.class,
                BackfillCommand.class, DemoCommand.class,
                TailCommand.class, EvaluateCommand.class, BenchCommand.class, ModelBundleCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
