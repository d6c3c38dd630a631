package io.driftline.cli;

import io.driftline.avro.Alert;
import io.driftline.avro.Severity;
import java.util.Locale;

/** An alert as one line for a person at a terminal, coloured by severity when asked to. */
final class AlertLines {

    private static final String RESET = "\u001b[0m";

    private AlertLines() {
    }

    static String format(Alert alert, boolean colour) {
        String line = String.format(Locale.ROOT, "%s %-8s %-13s %s", alert.getEventTime(), alert.getSeverity(),
                alert.getKind(), alert.getMessage());
        return colour ? colourOf(alert.getSeverity()) + line + RESET : line;
    }

    private static String colourOf(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "\u001b[1;31m";
            case WARNING -> "\u001b[33m";
            default -> "\u001b[36m";
        };
    }
}
