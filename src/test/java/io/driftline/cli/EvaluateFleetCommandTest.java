package io.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

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
    void shouldRequireAStreamWithoutFleet() {
        Cli.run(2, "evaluate", "--instances", "10");
    }
}
