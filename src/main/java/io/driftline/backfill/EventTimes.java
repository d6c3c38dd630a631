package io.driftline.backfill;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Event times as history files write them: epoch milliseconds (an integer), or ISO-8601 with an
 * offset or Z ({@code 2026-01-01T08:00:00Z}, {@code 2026-01-01T09:00:00+01:00}), or without one
 * in a given zone ({@code 2026-01-01T08:00:00}, {@code 2026-01-01 08:00:00.250}, a bare date).
 */
final class EventTimes {

    private EventTimes() {
    }

    /** Epoch milliseconds of {@code text}; throws DateTimeException when it is none of the forms above. */
    static long parse(String text, ZoneId zone) {
        if (text.isEmpty()) {
            throw new DateTimeException("no event time");
        }
        if (isInteger(text)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new DateTimeException("out of range: " + text);
            }
        }
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from,
                    LocalDateTime::from);
            if (parsed instanceof OffsetDateTime withOffset) {
                return withOffset.toInstant().toEpochMilli();
            }
            return ((LocalDateTime) parsed).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(iso).atStartOfDay(zone).toInstant().toEpochMilli();
            } catch (DateTimeParseException notADate) {
                throw new DateTimeException("neither ISO-8601 nor epoch milliseconds: " + text);
            }
        }
    }

    private static boolean isInteger(String text) {
        int start = text.charAt(0) == '-' ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** For messages: {@code millis} as ISO-8601. */
    static String format(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
