package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.config.DriftlineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code topology/topology.txt} is the described form of {@link DriftlineTopology}; they must not drift apart. */
class TopologyDescriptionTest {

    private static final Path DESCRIBED = Path.of("topology", "topology.txt");

    @Test
    void shouldMatchTheDescriptionKeptInTopologyDirectory() throws IOException {
        String actual;
        // Described with event-time order on, so that its processor and store are on the page; off (the default) drops them.
        try (TopologyFixture fixture = new TopologyFixture(Map.of(DriftlineConfig.ORDER_MAX_DELAY_MS, 5_000L))) {
            actual = fixture.topology.describe().toString();
        }
        Path written = Path.of("target", "topology.txt");
        Files.writeString(written, actual);
        assertThat(Files.readString(DESCRIBED))
                .as("topology/topology.txt is stale: review and copy %s over it", written)
                .isEqualTo(actual);
    }
}
