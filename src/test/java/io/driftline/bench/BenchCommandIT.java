package io.driftline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.cli.Cli;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code driftline bench} on a tiny workload: the report's shape, and every figure measured (no timing targets). */
class BenchCommandIT {

    @Test
    void shouldReportEveryFigureAsAPositiveNumberInTheLastLine() throws Exception {
        String output = Cli.run("bench", "--records", "3000", "--devices", "50", "--rate", "500",
                "--latency-seconds", "4");

        List<String> lines = output.lines().toList();
        JsonNode report = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(report.get("records").asLong()).isEqualTo(3000);
        for (String figure : List.of("moa_rps", "passthrough_rps", "passthrough_2stage_rps", "driftline_rps",
                "driftline_vs_passthrough", "driftline_vs_2stage", "2stage_vs_passthrough", "driftline_vs_moa",
                "peak_rss_mb")) {
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
        assertThat(report.get("driftline_vs_passthrough").asDouble()).isCloseTo(
                report.get("driftline_rps").asDouble() / report.get("passthrough_rps").asDouble(),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(report.get("machine").get("cores").asInt()).isPositive();
    }
}
