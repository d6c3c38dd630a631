package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureLayoutTest {

    @Test
    void shouldGiveSlotsInOrderOfFirstAppearance() {
        FeatureLayout layout = new FeatureLayout();

        assertThat(layout.slot("torque")).isZero();
        assertThat(layout.slot("speed")).isEqualTo(1);
        assertThat(layout.slot("torque")).isZero();
        assertThat(layout.find("speed")).isEqualTo(1);
        assertThat(layout.find("wear")).isEqualTo(-1);
        assertThat(layout.names()).containsExactly("torque", "speed");
    }

    /** Each owner's values are computed once per slot, the slots appended since included. */
    @Test
    void shouldComputeAnOwnersValuePerSlotOnceAndForSlotsAppendedSince() {
        FeatureLayout layout = new FeatureLayout();
        layout.slot("torque");
        layout.slot("speed");
        List<String> asked = new ArrayList<>();
        FeatureLayout.SlotValue<String> length = (owner, name) -> {
            asked.add(owner + ":" + name);
            return (owner + name).length();
        };

        assertThat(layout.perSlot("a", length)).containsExactly(7, 6);
        assertThat(layout.perSlot("bb", length)).containsExactly(8, 7);
        assertThat(layout.perSlot("a", length)).containsExactly(7, 6);
        layout.slot("wear");
        assertThat(layout.perSlot("a", length)).containsExactly(7, 6, 5);
        assertThat(asked).containsExactly("a:torque", "a:speed", "bb:torque", "bb:speed", "a:wear");
    }

    /** An owner's values are the owner's own (identity, not equality), and kept while it is among the last four. */
    @Test
    void shouldKeepTheValuesOfTheLastOwnersByIdentity() {
        FeatureLayout layout = new FeatureLayout();
        layout.slot("torque");
        List<String> asked = new ArrayList<>();
        FeatureLayout.SlotValue<Object> counted = (owner, name) -> {
            asked.add(name);
            return asked.size();
        };
        List<Object> owners = new ArrayList<>();
        for (int i = 0; i <= FeatureLayout.OWNERS; i++) {
            owners.add(new ArrayList<>());
            layout.perSlot(owners.get(i), counted);
        }
        assertThat(asked).hasSize(FeatureLayout.OWNERS + 1);

        // The first owner was evicted by the fifth; the others are kept, and a value an owner changed stays.
        layout.perSlot(owners.get(FeatureLayout.OWNERS), counted)[0] = 42;
        assertThat(layout.perSlot(owners.get(FeatureLayout.OWNERS), counted)).containsExactly(42);
        assertThat(layout.perSlot(owners.get(1), counted)).containsExactly(2);
        assertThat(asked).hasSize(FeatureLayout.OWNERS + 1);
        assertThat(layout.perSlot(owners.get(0), counted)).containsExactly(FeatureLayout.OWNERS + 2);
    }
}
