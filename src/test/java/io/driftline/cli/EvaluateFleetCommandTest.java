package io.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code evaluate --fleet}: a table, then one JSON line; {@code --stream} stays required without it. */
class EvaluateFleetCommandTest {

    @Test
    void shouldPrintTheScoreOfEveryModelAsTheLastLine() throws Exception {
        String output = Cli.run("evaluate", "--fleet", "--scenario", "FIRMWARE", "--devices", "20", "--days", "0.25",
                "--drift-at", "PT2H", "--sample-every", "PT1H", "--set", "label.horizon.ms=3600000");
        String[] lines = output.strip().split("\n");

        assertThat(output).contains("Model M:", "detect DATA vibration_mm_s within 120 min");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("scenario").asText()).isEqualTo("FIRMWARE");
        assertThat(json.get("readings").asLong()).isPositive();
        assertThat(json.get("models").fieldNames()).toIterable().containsExactly("H", "L", "M");
        JsonNode m = json.get("models").get("M");
        assertThat(m.get("detections")).hasSize(2);
        assertThat(m.get("series").get("minute")).hasSize(6);
        assertThat(m.get("targets")).allSatisfy(target -> assertThat(target.get("passed").isBoolean()).isTrue());
    }

    @Test
    void shouldScoreTheLeadTimesOfAColdStartedFleetWithDegradationsOfDifferentLengths() throws Exception {
        String output = Cli.run("evaluate", "--fleet", "--scenario", "NONE", "--devices", "20", "--days", "0.25",
                "--failure-rate", "6", "--degradation", "PT1H,PT2H", "--healthy-for", "PT2H", "--set",
                "label.horizon.ms=1800000");
        String[] lines = output.strip().split("\n");

        assertThat(output).contains("Lead time of FAILURE_RISK or ANOMALY before a FAILURE", "type L ");
        JsonNode leads = new ObjectMapper().readTree(lines[lines.length - 1]).get("lead_times");
        assertThat(leads.get("failures").asInt()).isPositive();
        assertThat(leads.get("missed").asInt()).isBetween(0, leads.get("failures").asInt());
        assertThat(leads.get("median_degradation_minutes").asLong()).isBetween(60L, 121L);
        assertThat(leads.get("first_failure").asText()).isGreaterThanOrEqualTo("2026-01-01T03:00:00Z");
        assertThat(leads.get("by_machine_type").fieldNames()).toIterable().isSubsetOf("H", "L", "M");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--adaptation=reset", "--learner=bayes.NaiveBayes", "--label-delay=5", "--instances=10"})
    void shouldRefuseTheStreamOptionsWithFleetRatherThanIgnoreThem(String option) {
        Cli.run(2, "evaluate", "--fleet", "--devices", "1", "--days", "0.01", option);
    }

    @Test
    void shouldRequireAStreamWithoutFleet() {
        Cli.run(2, "evaluate", "--instances", "10");
    }
}
