package io.driftline.cli;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** How the simulated machines degrade, shared by {@code simulate}, {@code demo} and {@code evaluate --fleet}. */
final class DegradationOptions {

    @Option(names = "--degradation", paramLabel = "MIN[,MAX]", split = ",", hideParamSyntax = true,
            defaultValue = "PT12H",
            description = "Simulated time from a machine's first sign of degradation to its failure, ISO-8601; with "
                    + "MAX, each degradation draws its length uniformly between MIN and MAX (default: ${DEFAULT-VALUE}).")
    List<Duration> degradation;

    @Option(names = "--healthy-for", paramLabel = "DURATION", defaultValue = "PT0S",
            description = "Cold start: no machine starts to degrade during this simulated time from the start, so "
                    + "the first failure comes no earlier than it plus MIN (default: ${DEFAULT-VALUE}).")
    Duration healthyFor;

    Duration shortest() {
        return degradation.get(0);
    }

    Duration longest() {
        if (degradation.size() > 2) {
            throw new IllegalArgumentException("--degradation takes one or two durations: " + degradation);
        }
        return degradation.get(degradation.size() - 1);
    }
}
