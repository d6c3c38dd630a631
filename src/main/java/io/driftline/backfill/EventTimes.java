package io.driftline.backfill;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
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
        long utc = utcSecondsOrMillis(text);
        if (utc != NOT_PLAIN_UTC) {
            return utc;
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

    private static final long NOT_PLAIN_UTC = Long.MIN_VALUE;

    /**
     * The most common export form, {@code 2026-01-01T08:00:00Z} or with milliseconds
     * ({@code .250Z}), read without java.time's general parser, which took about half the time of
     * reading a CSV row; anything else gives {@link #NOT_PLAIN_UTC} (and the general parser).
     */
    private static long utcSecondsOrMillis(String text) {
        int length = text.length();
        boolean millis = length == 24 && text.charAt(19) == '.';
        if (!(length == 20 || millis) || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return NOT_PLAIN_UTC;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int milli = millis ? digits(text, 20, 3) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || milli < 0 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_PLAIN_UTC;
        }
        return (LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second) * 1_000 + milli;
    }

    /** The decimal number of {@code count} digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
