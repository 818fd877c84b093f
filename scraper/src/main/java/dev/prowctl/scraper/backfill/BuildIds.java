package dev.prowctl.scraper.backfill;

import java.time.Instant;

/**
 * Prow's build ids are snowflakes (Twitter's layout and epoch): the top bits are milliseconds since 2010-11-04, so
 * ids of one job sort by time, and since mid-2018 they all have 19 digits, so they also sort lexicographically,
 * which is the order GCS lists names in. That lets a listing start at the id of {@code --since} instead of at the
 * job's first run.
 */
final class BuildIds {

    /** Twitter's snowflake epoch (1288834974657 ms), which Prow's ids use. */
    static final long EPOCH_MILLIS = 1_288_834_974_657L;
    private static final int TIME_SHIFT = 22;
    /** The first 19-digit id (2018-05); older or foreign ids are not treated as snowflakes. */
    private static final Instant FIRST_19_DIGITS = time(1_000_000_000_000_000_000L);

    private BuildIds() {
    }

    /** True for a 19-digit id whose time lies between 2018 and {@code latest}. */
    static boolean isSnowflake(String id, Instant latest) {
        if (id == null || id.length() != 19 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        long value;
        try {
            value = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return false;
        }
        Instant time = time(value);
        return !time.isBefore(FIRST_19_DIGITS) && !time.isAfter(latest);
    }

    /** When a snowflake id was made. */
    static Instant time(String id) {
        return time(Long.parseLong(id));
    }

    private static Instant time(long id) {
        return Instant.ofEpochMilli((id >>> TIME_SHIFT) + EPOCH_MILLIS);
    }

    /** The smallest id made at or after {@code time} (19 digits for any time since 2018). */
    static String firstAt(Instant time) {
        long millis = Math.max(0, time.toEpochMilli() - EPOCH_MILLIS);
        return String.valueOf(millis << TIME_SHIFT);
    }

    /** Orders build ids: numerically when both are numbers (ids of different lengths), else as text. */
    static int compare(String a, String b) {
        boolean numbers = a.chars().allMatch(Character::isDigit) && b.chars().allMatch(Character::isDigit);
        if (numbers && a.length() != b.length()) {
            String sa = a.replaceFirst("^0+(?=.)", "");
            String sb = b.replaceFirst("^0+(?=.)", "");
            if (sa.length() != sb.length()) {
                return Integer.compare(sa.length(), sb.length());
            }
            return sa.compareTo(sb);
        }
        return a.compareTo(b);
    }
}
