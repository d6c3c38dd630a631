package io.driftline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.cli.Cli;
import io.driftline.topology.Topics;
import java.util.List;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** {@code driftline bench} on a tiny workload: the report's shape, and every figure measured (no timing targets). */
class BenchCommandIT {

    @Test
    void shouldReportEveryFigureAsAPositiveNumberInTheLastLine() throws Exception {
        String output = Cli.run("bench", "--records", "3000", "--devices", "50", "--rate", "500",
                "--latency-seconds", "4", "--rounds", "2");

        List<String> lines = output.lines().toList();
        JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(report.get("records").asLong()).isEqualTo(3000);
        for (String figure : List.of("moa_rps", "passthrough_rps", "passthrough_2stage_rps", "driftline_rps",
                "driftline_vs_passthrough", "driftline_vs_2stage", "2stage_vs_passthrough", "driftline_vs_moa",
                "cap", "driftline_vs_cap", "core_rps", "core_cap", "driftline_vs_core_cap", "core_cap_vs_cap",
                "bytes_written_per_reading", "bytes_per_input_reading",
                "latency_p99_vs_passthrough", "peak_rss_mb")) {
            assertThat(report.get(figure)).as(figure).isNotNull();
            assertThat(report.get(figure).asDouble()).as(figure).isPositive();
        }
        JsonNode latency = report.get("latency_ms");
        assertThat(latency.get("samples").asLong()).isPositive();
        for (String percentile : List.of("p50", "p99", "p999")) {
            assertThat(latency.get(percentile).asDouble()).as(percentile).isPositive();
        }
        assertThat(latency.get("p50").asLong()).isLessThanOrEqualTo(latency.get("p99").asLong());
        assertThat(latency.get("p99").asLong()).isLessThanOrEqualTo(latency.get("p999").asLong());
        JsonNode floor = report.get("passthrough_2stage_latency_ms");
        assertThat(floor.get("samples").asLong()).isPositive();
        assertThat(floor.get("p50").asLong()).isLessThanOrEqualTo(floor.get("p99").asLong());
        JsonNode rounds = report.get("rounds");
        JsonNode driftline = rounds.get("driftline_rps");
        JsonNode passThrough = rounds.get("passthrough_rps");
        assertThat(driftline).hasSize(2);
        assertThat(report.get("driftline_rps").asDouble())
                .isCloseTo((driftline.get(0).asDouble() + driftline.get(1).asDouble()) / 2, Offset.offset(1.0));
        double first = driftline.get(0).asDouble() / passThrough.get(0).asDouble();
        double second = driftline.get(1).asDouble() / passThrough.get(1).asDouble();
        assertThat(report.get("driftline_vs_passthrough").asDouble())
                .isCloseTo((first + second) / 2, Offset.offset(0.01));
        assertThat(report.get("failure_label_share").asDouble()).isBetween(0.0, 1.0);
        JsonNode thread = report.get("driftline_thread");
        for (String share : List.of("process_ratio", "commit_ratio", "poll_ratio")) {
            assertThat(thread.get(share).asDouble()).as(share).isBetween(0.0, 1.0);
        }
        JsonNode bytes = report.get("driftline_bytes_per_reading");
        assertThat(bytes.get("predictions").asLong()).isPositive();
        assertThat(bytes.get("total").asLong()).isGreaterThan(bytes.get("predictions").asLong());
        assertThat(report.get("bytes_written_per_reading").asLong()).isEqualTo(bytes.get("total").asLong());
        assertThat(report.get("machine").get("cores").asInt()).isPositive();
        // Machine-type models pool devices: Driftline is held against the two-stage pass-through.
        assertTargetsOfShape(report, "passthrough_2stage");
    }

    @Test
    void shouldHoldPerDeviceModelsAgainstTheOneStagePassThrough() throws Exception {
        String output = Cli.run("bench", "--scope", "device", "--records", "2000", "--devices", "20", "--rate", "500",
                "--latency-seconds", "3", "--rounds", "1");

        List<String> lines = output.lines().toList();
        JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(report.get("scope").asText()).isEqualTo("device");
        assertThat(report.get("driftline_bytes_per_reading").has(Topics.MODEL_INPUTS + "-repartition"))
                .as("a repartition topic").isFalse();
        assertThat(report.has("passthrough_2stage_latency_ms")).isFalse();
        assertTargetsOfShape(report, "passthrough");
    }

    /**
     * The cap of each round from that round's pass-through of the shape and MOA's rate, the latency
     * against that pass-through's, and every target with its figure and verdict.
     */
    private static void assertTargetsOfShape(JsonNode report, String shape) {
        JsonNode rounds = report.get("rounds");
        for (int round = 0; round < rounds.get("cap").size(); round++) {
            double cap = Targets.cap(rounds.get(shape + "_rps").get(round).asDouble(), report.get("moa_rps").asDouble());
            assertThat(rounds.get("cap").get(round).asDouble()).as("cap of round %d", round + 1)
                    .isCloseTo(cap, Offset.offset(1.0));
            assertThat(rounds.get("cap").get(round).asDouble()).isLessThan(rounds.get(shape + "_rps").get(round).asDouble());
            double coreCap = Targets.cap(rounds.get(shape + "_rps").get(round).asDouble(),
                    report.get("core_rps").asDouble());
            assertThat(rounds.get("core_cap").get(round).asDouble()).as("core cap of round %d", round + 1)
                    .isCloseTo(coreCap, Offset.offset(1.0));
        }
        JsonNode floor = report.get(shape + "_latency_ms");
        assertThat(floor.get("samples").asLong()).isPositive();
        assertThat(report.get(shape + "_thread").get("process_ratio").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.get("latency_p99_vs_passthrough").asDouble()).isCloseTo(
                report.get("latency_ms").get("p99").asDouble() / floor.get("p99").asDouble(), Offset.offset(0.001));
        JsonNode targets = report.get("targets");
        assertThat(targets.get("driftline_vs_cap").get("value").asDouble())
                .isEqualTo(report.get("driftline_vs_cap").asDouble());
        assertThat(targets.get("bytes_written_vs_input").get("value").asDouble()).isCloseTo(
                report.get("bytes_written_per_reading").asDouble() / report.get("bytes_per_input_reading").asDouble(),
                Percentage.withPercentage(1));
        for (String target : List.of("driftline_vs_cap", "latency_p99_vs_passthrough", "bytes_written_vs_input")) {
            assertThat(targets.get(target).get("bound").asText()).as(target).isNotEmpty();
            assertThat(targets.get(target).get("pass").isBoolean()).as(target).isTrue();
        }
    }

    @Test
    void shouldReportEachTenthOfASoakAndTheCriteriaInTheLastLine() throws Exception {
        String output = Cli.run("bench", "--soak", "6000", "--devices", "50", "--set", "learner.adaptation=none");

        List<String> lines = output.lines().toList();
        JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(report.get("soak_readings").asLong()).isEqualTo(6000);
        JsonNode tenths = report.get("soak_tenths");
        assertThat(tenths).hasSize(10);
        double best = 0;
        long readings = 0;
        long predictionBytes = 0;
        long totalBytes = 0;
        for (JsonNode tenth : tenths) {
            readings += tenth.get("readings").asLong();
            best = Math.max(best, tenth.get("readings_per_s").asDouble());
            assertThat(tenth.get("readings_per_s").asDouble()).isPositive();
            assertThat(tenth.get("model_bytes").asLong()).isPositive()
                    .isEqualTo(sum(tenth.get("model_bytes_by_model")));
            assertThat(tenth.get("model_bytes_by_model").size()).isBetween(1, 3);
            tenth.get("model_bytes_by_model").fields().forEachRemaining(learner -> assertThat(
                    tenth.get("state_bytes_by_model").get(learner.getKey()).asLong()).as("the state holds the learner")
                    .isGreaterThan(learner.getValue().asLong()));
            // A producer sends a batch before the commit that makes it count, so in a run this small one
            // tenth's bytes can land in the tenth before: per tenth only the order of the figures holds.
            JsonNode bytes = tenth.get("bytes_written_per_reading");
            assertThat(bytes.get("predictions").asLong()).isNotNegative();
            assertThat(bytes.get("model_stage").asLong()).isGreaterThanOrEqualTo(bytes.get("predictions").asLong())
                    .isLessThanOrEqualTo(bytes.get("total").asLong());
            predictionBytes += bytes.get("predictions").asLong() * tenth.get("readings").asLong();
            totalBytes += bytes.get("total").asLong() * tenth.get("readings").asLong();
        }
        assertThat(readings).isEqualTo(6000);
        assertThat(predictionBytes).as("prediction bytes over the run").isPositive();
        assertThat(totalBytes).as("bytes over the run").isGreaterThan(predictionBytes);
        // A tree's serialisation grows only when it splits, which 6,000 readings may not bring about; without
        // resets (adaptation none) it never shrinks, and the first tenth may not have met every model yet.
        long first = tenths.get(0).get("model_bytes").asLong();
        long last = tenths.get(9).get("model_bytes").asLong();
        assertThat(last).as("the learners never shrink without resets").isGreaterThanOrEqualTo(first);
        assertThat(report.get("soak_last_vs_best").asDouble())
                .isCloseTo(tenths.get(9).get("readings_per_s").asDouble() / best, Offset.offset(0.01));
        JsonNode criteria = report.get("soak_criteria");
        assertThat(criteria.get("model_bytes_last_vs_first").get("value").asDouble())
                .isCloseTo((double) last / first, Offset.offset(0.001));
        for (String criterion : List.of("throughput_last_vs_best", "model_bytes_last_vs_first")) {
            assertThat(criteria.get(criterion).get("value").asDouble()).as(criterion).isPositive();
            assertThat(criteria.get(criterion).get("pass").isBoolean()).as(criterion).isTrue();
        }
        // A tenth of this small run can pass within one commit interval and write nothing: those
        // ratios are then null and fail, never a made-up figure.
        for (String criterion : List.of("bytes_per_reading_last_vs_second", "commit_p99_last_vs_second")) {
            JsonNode value = criteria.get(criterion).get("value");
            if (value.isNull()) {
                assertThat(criteria.get(criterion).get("pass").asBoolean()).as(criterion).isFalse();
            } else {
                assertThat(value.asDouble()).as(criterion).isPositive();
            }
        }
        assertThat(criteria.get("labels_gone_share").get("pass").isBoolean()).isTrue();
        assertThat(tenths.get(9).get("labels_resolved").isObject()).isTrue();
        assertThat(report.get("soak_pass").isBoolean()).isTrue();
    }

    private static long sum(JsonNode values) {
        long sum = 0;
        for (JsonNode value : values) {
            sum += value.asLong();
        }
        return sum;
    }
}
