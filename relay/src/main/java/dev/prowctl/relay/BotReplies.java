package dev.prowctl.relay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The IRC bot's answers, apart from the alerts: a small queue of lines ({@value #MAX_LINES}) and, per user,
 * {@value #BURST_PER_USER} answers at once, then one per {@link #PER_USER} (on the relay's clock), so that people
 * talking to the bot can neither fill the alerts' queue nor get ahead of an alert. The users remembered are bounded too ({@value #MAX_USERS}, least recent
 * forgotten first).
 */
final class BotReplies {
    static final int MAX_LINES = 20;
    static final Duration PER_USER = Duration.ofSeconds(10);
    static final int MAX_USERS = 256;
    static final int BURST_PER_USER = 4;

    private final RelayClock clock;
    private final Deque<String> lines = new ArrayDeque<>();
    /** Per user (lower case): answers left, and when that was counted. */
    private final Map<String, long[]> allowances = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_USERS;
        }
    };

    BotReplies(RelayClock clock) {
        this.clock = clock;
    }

    /** Whether {@code nick} may get an answer now (and counts it). */
    synchronized boolean allow(String nick) {
        long now = clock.nanoTime();
        long[] allowance = allowances.computeIfAbsent(nick.toLowerCase(Locale.ROOT),
                key -> new long[] {BURST_PER_USER, now});
        long earned = (now - allowance[1]) / PER_USER.toNanos();
        if (earned > 0) {
            allowance[0] = Math.min(BURST_PER_USER, allowance[0] + earned);
            allowance[1] += earned * PER_USER.toNanos();
        }
        if (allowance[0] == 0) {
            return false;
        }
        allowance[0]--;
        return true;
    }

    /** Queues an answer's lines, all or none; false when there is no room. */
    synchronized boolean offer(List<String> answer) {
        if (lines.size() + answer.size() > MAX_LINES) {
            return false;
        }
        lines.addAll(answer);
        notifyAll();
        return true;
    }

    /** The next line to say; waits for one. */
    synchronized String take() throws InterruptedException {
        while (lines.isEmpty()) {
            wait();
        }
        return lines.pollFirst();
    }
}
