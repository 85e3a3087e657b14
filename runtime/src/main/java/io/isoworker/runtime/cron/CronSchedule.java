package io.isoworker.runtime.cron;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A cron trigger's schedule, as Cloudflare takes it: five fields (minute, hour, day of month, month, day of week) in
 * UTC, each {@code *}, a value, a range {@code a-b}, a step {@code * /n} or {@code a-b/n} or {@code a/n}, or a list of
 * these separated by commas; months {@code JAN}-{@code DEC} and days {@code SUN}-{@code SAT} by name too, and Sunday
 * as 0 or 7. When both the day of month and the day of week are restricted, a day matches either (as in Vixie cron).
 */
public final class CronSchedule {

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11),
            Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4,
            "FRI", 5, "SAT", 6);

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronSchedule(String text, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months,
            BitSet daysOfWeek, boolean dayOfMonthRestricted, boolean dayOfWeekRestricted) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.dayOfMonthRestricted = dayOfMonthRestricted;
        this.dayOfWeekRestricted = dayOfWeekRestricted;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message that names the field and what is wrong with it
     */
    public static CronSchedule parse(String text) {
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("a cron schedule has five fields (minute hour day-of-month month "
                    + "day-of-week), not " + (text.isBlank() ? 0 : fields.length) + ": '" + text + "'");
        }
        BitSet minutes = field(fields[0], "minute", 0, 59, Map.of());
        BitSet hours = field(fields[1], "hour", 0, 23, Map.of());
        BitSet dom = field(fields[2], "day of month", 1, 31, Map.of());
        BitSet months = field(fields[3], "month", 1, 12, MONTHS);
        BitSet dow = field(fields[4], "day of week", 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        return new CronSchedule(text.trim(), minutes, hours, dom, months, dow, !isStar(fields[2]),
                !isStar(fields[4]));
    }

    private static boolean isStar(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet field(String field, String name, int min, int max, Map<String, Integer> names) {
        BitSet set = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("the " + name + " field '" + field + "' has an empty list item");
            }
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, field, Map.of());
                if (step < 1) {
                    throw new IllegalArgumentException("the " + name + " field '" + field + "' has a step of "
                            + step + ": a step is 1 or more");
                }
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = name.equals("day of week") ? 6 : max;
            } else {
                int dash = range.indexOf('-');
                if (dash > 0) {
                    from = number(range.substring(0, dash), name, field, names);
                    to = number(range.substring(dash + 1), name, field, names);
                } else {
                    from = number(range, name, field, names);
                    to = slash >= 0 ? (name.equals("day of week") ? 6 : max) : from;
                }
            }
            if (from < min || to > max || from > max || to < min) {
                throw new IllegalArgumentException("the " + name + " field '" + field + "' goes outside " + min
                        + "-" + max);
            }
            if (from > to) {
                throw new IllegalArgumentException("the " + name + " field '" + field + "' has a range that runs "
                        + "backwards (" + from + "-" + to + ")");
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String s, String name, String field, Map<String, Integer> names) {
        Integer named = names.get(s.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the " + name + " field '" + field + "' has '" + s
                    + "', which is not a number" + (names.isEmpty() ? "" : " or a name"));
        }
        return Integer.parseInt(s);
    }

    /** The schedule as written (trimmed). */
    public String text() {
        return text;
    }

    /** The first minute strictly after {@code after} that the schedule matches, in UTC; null if none in 5 years. */
    public Instant nextAfter(Instant after) {
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
                continue;
            }
            if (!dayMatches(t)) {
                t = t.withHour(0).withMinute(0).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.withMinute(0).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return t.toInstant();
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    @Override
    public String toString() {
        return text;
    }
}
