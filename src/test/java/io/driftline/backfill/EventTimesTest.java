package io.driftline.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventTimesTest {

    private static final long NEW_YEAR = Instant.parse("2026-01-01T08:00:00Z").toEpochMilli();

    @Test
    void shouldReadEpochMillisAndIsoWithAnOffset() {
        assertThat(EventTimes.parse(Long.toString(NEW_YEAR), ZoneOffset.UTC)).isEqualTo(NEW_YEAR);
        assertThat(EventTimes.parse("2026-01-01T08:00:00Z", ZoneId.of("Asia/Tokyo"))).isEqualTo(NEW_YEAR);
        assertThat(EventTimes.parse("2026-01-01T09:00:00+01:00", ZoneOffset.UTC)).isEqualTo(NEW_YEAR);
        assertThat(EventTimes.parse("2026-01-01T08:00:00.250Z", ZoneOffset.UTC)).isEqualTo(NEW_YEAR + 250);
        assertThat(EventTimes.parse("-1000", ZoneOffset.UTC)).isEqualTo(-1000);
        assertThat(EventTimes.parse("1969-12-31T23:59:59.999Z", ZoneOffset.UTC)).isEqualTo(-1);
        assertThat(EventTimes.parse("2026-01-01T08:00:00.2Z", ZoneOffset.UTC)).isEqualTo(NEW_YEAR + 200);
        assertThat(EventTimes.parse("2024-02-29T23:59:59Z", ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59Z").toEpochMilli());
    }

    @Test
    void shouldReadTimesWithoutAnOffsetInTheZoneGiven() {
        assertThat(EventTimes.parse("2026-01-01T09:00:00", ZoneId.of("Europe/Berlin"))).isEqualTo(NEW_YEAR);
        assertThat(EventTimes.parse("2026-01-01 08:00:00.250", ZoneOffset.UTC)).isEqualTo(NEW_YEAR + 250);
        assertThat(EventTimes.parse("2026-01-01", ZoneOffset.UTC)).isEqualTo(NEW_YEAR - 8 * 3_600_000);
    }

    @Test
    void shouldRefuseAnythingElse() {
        for (String text : new String[] {"", "yesterday", "01/01/2026 08:00", "2026-13-01T00:00:00Z", "1.7e12",
                "99999999999999999999", "-", "2026-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
                "2026-1-01T00:00:00Z"}) {
            assertThatThrownBy(() -> EventTimes.parse(text, ZoneOffset.UTC)).as(text).isInstanceOf(DateTimeException.class);
        }
    }
}
