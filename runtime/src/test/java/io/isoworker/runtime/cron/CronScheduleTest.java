package io.isoworker.runtime.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Five-field cron schedules in UTC: what fires next, and clear errors for bad schedules. */
class CronScheduleTest {

    private static Instant next(String cron, String after) {
        return CronSchedule.parse(cron).nextAfter(Instant.parse(after));
    }

    @Test
    void everyMinuteAndSteps() {
        assertEquals(Instant.parse("2026-12-04T10:16:00Z"), next("* * * * *", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2026-12-04T10:16:00Z"), next("* * * * *", "2026-12-04T10:15:59.999Z"));
        assertEquals(Instant.parse("2026-12-04T10:20:00Z"), next("*/5 * * * *", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2026-12-04T11:00:00Z"), next("*/5 * * * *", "2026-12-04T10:55:00Z"));
        assertEquals(Instant.parse("2026-12-04T10:20:00Z"), next("5/15 * * * *", "2026-12-04T10:06:00Z"));
        assertEquals(Instant.parse("2026-12-04T10:50:00Z"), next("10-50/20 * * * *", "2026-12-04T10:31:00Z"));
    }

    @Test
    void hoursDaysAndMonths() {
        assertEquals(Instant.parse("2026-12-05T00:00:00Z"), next("0 0 * * *", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2026-12-04T17:30:00Z"), next("30 9,17 * * *", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), next("0 0 1 1 *", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2027-02-01T08:00:00Z"), next("0 8 1 feb *", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), next("0 0 29 2 *", "2026-12-04T10:15:00Z"),
                "the next 29 February");
    }

    @Test
    void daysOfWeekByNumberAndNameWithSundayAsZeroOrSeven() {
        // 2026-12-04 is a Friday
        assertEquals(Instant.parse("2026-12-06T12:00:00Z"), next("0 12 * * 0", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2026-12-06T12:00:00Z"), next("0 12 * * 7", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2026-12-06T12:00:00Z"), next("0 12 * * SUN", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2026-12-07T09:00:00Z"), next("0 9 * * MON-FRI", "2026-12-04T10:15:00Z"));
        assertEquals(Instant.parse("2026-12-04T11:00:00Z"), next("0 * * * 1-5", "2026-12-04T10:15:00Z"));
    }

    @Test
    void aRestrictedDayOfMonthAndDayOfWeekMatchEither() {
        // the 15th, or any Monday: Monday 2026-12-07 comes first
        assertEquals(Instant.parse("2026-12-07T00:00:00Z"), next("0 0 15 * MON", "2026-12-04T10:15:00Z"));
        // only the 15th when the day of week is *
        assertEquals(Instant.parse("2026-12-15T00:00:00Z"), next("0 0 15 * *", "2026-12-04T10:15:00Z"));
    }

    @Test
    void aScheduleThatNeverMatchesHasNoNextTime() {
        assertNull(next("0 0 31 2 *", "2026-12-04T10:15:00Z"));
        assertNull(next("0 0 30 feb *", "2026-12-04T10:15:00Z"));
    }

    @Test
    void badSchedulesSayWhatIsWrong() {
        assertError("* * * *", "five fields");
        assertError("", "five fields");
        assertError("60 * * * *", "minute field '60' goes outside 0-59");
        assertError("* 24 * * *", "hour field");
        assertError("* * 0 * *", "day of month field '0' goes outside 1-31");
        assertError("* * * 13 *", "month field");
        assertError("* * * * 8", "day of week field");
        assertError("*/0 * * * *", "a step is 1 or more");
        assertError("30-10 * * * *", "runs backwards");
        assertError("a * * * *", "'a', which is not a number");
        assertError("* * * foo *", "not a number or a name");
        assertError("1,,2 * * * *", "empty list item");
    }

    private static void assertError(String cron, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(cron));
        assertTrue(e.getMessage().contains(expected), "'" + cron + "': " + e.getMessage());
    }
}
