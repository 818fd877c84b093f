package dev.prowctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class RetryTest {

    /** A scripted reply; closing it is recorded. */
    private static final class Reply implements Closeable {
        final int status;
        final String retryAfter;
        boolean closed;

        Reply(int status, String retryAfter) {
            this.status = status;
            this.retryAfter = retryAfter;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A server that answers from a script: a status (with an optional Retry-After) or an exception. */
    private static final class Script {
        final Deque<Object> answers = new ArrayDeque<>();
        int sent;

        Script then(int status) {
            return then(status, null);
        }

        Script then(int status, String retryAfter) {
            answers.add(new Reply(status, retryAfter));
            return this;
        }

        Script then(IOException failure) {
            answers.add(failure);
            return this;
        }

        Reply send() throws IOException {
            sent++;
            Object next = answers.remove();
            if (next instanceof IOException e) {
                throw e;
            }
            return (Reply) next;
        }
    }

    private static final RandomGenerator NO_JITTER = () -> -1L; // nextDouble() just below 1: the full delay
    private static final RandomGenerator MOST_JITTER = () -> 0L; // nextDouble() == 0: half the delay

    private final FakeTime time = new FakeTime();

    private Retry retry(int attempts, RandomGenerator random) {
        return new Retry(attempts, Duration.ofMillis(100), Duration.ofSeconds(2), time, time, random);
    }

    private static Retry.Answer<Reply> run(Retry retry, Script script, Deadline deadline) throws IOException {
        return retry.call(script::send, r -> r.status, r -> r.retryAfter, deadline);
    }

    @Test
    void transientAnswersAreRetriedWithDoublingBackoffUntilOneIsFinal() throws IOException {
        Script script = new Script().then(503).then(429).then(500).then(200);

        Retry.Answer<Reply> answer = run(retry(5, NO_JITTER), script, Deadline.NONE);

        assertThat(answer.reply().status).isEqualTo(200);
        assertThat(answer.attempts()).isEqualTo(4);
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400));
    }

    @Test
    void nonRetryableCodesAreFinalAtOnce() throws IOException {
        for (int code : new int[] {200, 204, 301, 400, 401, 403, 404, 409, 413}) {
            Script script = new Script().then(code);
            Retry.Answer<Reply> answer = run(retry(5, NO_JITTER), script, Deadline.NONE);
            assertThat(answer.reply().status).as("HTTP %d", code).isEqualTo(code);
            assertThat(answer.reply().closed).as("the caller closes the final reply").isFalse();
            assertThat(script.sent).isEqualTo(1);
        }
        assertThat(time.sleeps).isEmpty();
        assertThat(Retry.transientStatus(408)).isTrue();
        assertThat(Retry.transientStatus(599)).isTrue();
    }

    @Test
    void theLastTransientAnswerIsHandedBackWhenTheAttemptsAreUsedUp() throws IOException {
        Script script = new Script().then(502).then(502).then(502);
        Reply first = (Reply) script.answers.peekFirst();

        Retry.Answer<Reply> answer = run(retry(3, NO_JITTER), script, Deadline.NONE);

        assertThat(answer.reply().status).isEqualTo(502);
        assertThat(answer.attempts()).isEqualTo(3);
        assertThat(first.closed).as("a reply that is retried is closed").isTrue();
    }

    @Test
    void retryAfterInSecondsReplacesTheBackoffAndIsCapped() throws IOException {
        Script script = new Script().then(429, "1").then(503, "0").then(503, "3600").then(200);

        run(retry(4, NO_JITTER), script, Deadline.NONE);

        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(2));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThenAndIsCapped() throws IOException {
        DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
        Script script = new Script()
                .then(503, http.format(FakeTime.START.plusSeconds(1)))
                .then(503, http.format(FakeTime.START.minusSeconds(60))) // already past: at once
                .then(503, http.format(FakeTime.START.plusSeconds(600)))
                .then(503, "soon") // unreadable: the backoff
                .then(200);

        run(retry(5, NO_JITTER), script, Deadline.NONE);

        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(2),
                Duration.ofMillis(800));
    }

    @Test
    void backoffIsCappedAndItsJitterStaysWithinHalfAndAllOfTheDelay() {
        Retry seeded = retry(10, new Random(7));
        long distinct = java.util.stream.IntStream.range(0, 200).mapToLong(i -> {
            long first = seeded.backoff(1).toMillis();
            long third = seeded.backoff(3).toMillis();
            long late = seeded.backoff(40).toMillis();
            assertThat(first).isBetween(50L, 100L);
            assertThat(third).isBetween(200L, 400L);
            assertThat(late).isBetween(1000L, 2000L);
            return third;
        }).distinct().count();
        assertThat(distinct).as("jittered, not lock-step").isGreaterThan(10);
        assertThat(retry(10, MOST_JITTER).backoff(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(retry(10, NO_JITTER).backoff(3)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void ioFailuresAreRetriedAndTheLastOneIsThrown() throws IOException {
        Script recovers = new Script().then(new ConnectException("refused")).then(new SocketTimeoutException())
                .then(200);
        assertThat(run(retry(3, NO_JITTER), recovers, Deadline.NONE).attempts()).isEqualTo(3);

        Script down = new Script().then(new ConnectException("first")).then(new ConnectException("last"));
        assertThatThrownBy(() -> run(retry(2, NO_JITTER), down, Deadline.NONE))
                .isInstanceOf(ConnectException.class).hasMessage("last");
    }

    @Test
    void anUnknownHostIsNotRetried() {
        Script script = new Script().then(new UnknownHostException("nowhere.invalid")).then(200);

        assertThatThrownBy(() -> run(retry(5, NO_JITTER), script, Deadline.NONE))
                .isInstanceOf(UnknownHostException.class);
        assertThat(script.sent).isEqualTo(1);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void aWaitThatWouldReachPastTheDeadlineStopsTheRetries() {
        Deadline deadline = Deadline.after(Duration.ofMillis(250), time);
        Script script = new Script().then(503).then(503).then(503).then(200);

        assertThatThrownBy(() -> run(retry(5, NO_JITTER), script, deadline))
                .isInstanceOfSatisfying(Retry.DeadlineReached.class,
                        e -> assertThat(e.lastProblem()).isEqualTo("HTTP 503"));
        assertThat(time.sleeps).as("100 ms fit, the next 200 ms would end past it").hasSize(1);
        assertThat(script.sent).isEqualTo(2);
    }

    @Test
    void nothingIsSentOnceTheDeadlinePassed() {
        Deadline deadline = Deadline.after(Duration.ofMillis(10), time);
        time.advance(Duration.ofMillis(10));
        Script script = new Script().then(200);

        assertThatThrownBy(() -> run(retry(5, NO_JITTER), script, deadline))
                .isInstanceOfSatisfying(Retry.DeadlineReached.class, e -> assertThat(e.lastProblem()).isNull())
                .hasMessageContaining("before the first attempt");
        assertThat(script.sent).isZero();
    }

    @Test
    void aFailureThatRanIntoTheDeadlineIsThrownAsItIs() {
        Deadline deadline = Deadline.after(Duration.ofMillis(100), time);
        Script script = new Script().then(new SocketTimeoutException("timeout")).then(200);

        assertThatThrownBy(() -> retry(5, NO_JITTER).call(() -> {
            time.advance(Duration.ofMillis(100)); // the attempt's own timeout ends at the deadline
            return script.send();
        }, r -> r.status, r -> r.retryAfter, deadline)).isInstanceOf(SocketTimeoutException.class);
        assertThat(script.sent).isEqualTo(1);
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> new Retry(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(
                IllegalArgumentException.class);
        assertThat(Retry.never().attempts()).isEqualTo(1);
    }
}
