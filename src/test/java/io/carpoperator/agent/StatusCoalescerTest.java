package io.carpoperator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCoalescerTest {
    private final ManualScheduler time = new ManualScheduler();
    private final StatusCoalescer<String, String> pending = new StatusCoalescer<>(time.clock(), Duration.ofSeconds(10),
            Duration.ofMillis(200), Duration.ofSeconds(10), (a, b) -> a.startsWith("same") && b.startsWith("same"));

    private List<String> due() {
        return pending.due().stream().map(w -> w.key() + "=" + (w.removal() ? "<removed>" : w.value())).toList();
    }

    private void writeAllDue(boolean ok) {
        for (var write : pending.due()) {
            if (ok) {
                pending.succeeded(write);
            } else {
                pending.failed(write);
            }
        }
    }

    @Test
    void theLatestValuePerKeyWins() {
        pending.offer("web", "INIT");
        pending.offer("web", "BACKUP");
        pending.offer("db", "MASTER");
        pending.offer("web", "MASTER");
        assertThat(due()).containsExactlyInAnyOrder("web=MASTER", "db=MASTER");
        writeAllDue(true);
        assertThat(due()).isEmpty();
        assertThat(pending.hasUnwritten()).isFalse();
    }

    @Test
    void aValueOfferedWhileAnOlderOneIsBeingWrittenIsWrittenNext() {
        pending.offer("web", "BACKUP");
        var inFlight = pending.due().get(0);
        pending.offer("web", "MASTER");
        pending.succeeded(inFlight);
        assertThat(due()).containsExactly("web=MASTER");
    }

    @Test
    void failedWritesAreRetriedWithExponentialBackOffUpToTheMaximum() {
        pending.offer("web", "MASTER");
        List<Duration> delays = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 9; attempt++) {
            writeAllDue(false);
            Instant next = pending.nextDue().orElseThrow();
            delays.add(Duration.between(time.now(), next));
            assertThat(due()).as("nothing before the back-off ends").isEmpty();
            time.advance(Duration.between(time.now(), next));
            assertThat(due()).containsExactly("web=MASTER");
        }
        assertThat(delays).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(1600), Duration.ofMillis(3200), Duration.ofMillis(6400), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void whileFailingOnlyTheLatestValueWaitsAndASuccessResetsTheBackOff() {
        pending.offer("web", "BACKUP");
        writeAllDue(false);
        writeAllDue(false);
        pending.offer("web", "MASTER");
        pending.offer("web", "ISOLATED");
        assertThat(due()).as("a new value does not jump the back-off").isEmpty();
        time.advance(Duration.ofMillis(400));
        assertThat(due()).containsExactly("web=ISOLATED");
        writeAllDue(true);
        pending.offer("web", "BACKUP");
        writeAllDue(false);
        assertThat(pending.nextDue()).contains(time.now().plusMillis(200));
    }

    @Test
    void writtenValuesAreRefreshedEveryIntervalEvenWithoutChanges() {
        pending.offer("web", "MASTER");
        writeAllDue(true);
        time.advance(Duration.ofSeconds(9));
        assertThat(due()).isEmpty();
        assertThat(pending.nextDue()).contains(time.now().plusSeconds(1));
        time.advance(Duration.ofSeconds(1));
        assertThat(due()).containsExactly("web=MASTER");
        writeAllDue(true);
        assertThat(pending.nextDue()).contains(time.now().plusSeconds(10));
    }

    @Test
    void aFailedRefreshIsRetriedWithBackOff() {
        pending.offer("web", "MASTER");
        writeAllDue(true);
        time.advance(Duration.ofSeconds(10));
        writeAllDue(false);
        assertThat(pending.nextDue()).contains(time.now().plusMillis(200));
        time.advance(Duration.ofMillis(200));
        assertThat(due()).containsExactly("web=MASTER");
    }

    @Test
    void aValueDifferingOnlyInWhatTheRefreshCarriesWaitsForTheRefresh() {
        pending.offer("web", "same rtt 1ms");
        writeAllDue(true);
        pending.offer("web", "same rtt 2ms");
        assertThat(due()).isEmpty();
        time.advance(Duration.ofSeconds(10));
        assertThat(due()).containsExactly("web=same rtt 2ms");
    }

    @Test
    void aRemovalIsWrittenOnceAndThenTheKeyIsForgotten() {
        pending.offer("web", "MASTER");
        writeAllDue(true);
        pending.offerRemoval("web");
        assertThat(due()).containsExactly("web=<removed>");
        writeAllDue(true);
        assertThat(pending.nextDue()).isEmpty();
        time.advance(Duration.ofMinutes(1));
        assertThat(due()).as("no refresh of a removed entry").isEmpty();
    }

    @Test
    void aReportAfterARemovalWins() {
        pending.offerRemoval("web");
        pending.offer("web", "INIT");
        assertThat(due()).containsExactly("web=INIT");
    }

    @Test
    void unwrittenIgnoresBackOffForTheLastAttempt() {
        pending.offer("web", "MASTER");
        writeAllDue(false);
        assertThat(due()).isEmpty();
        assertThat(pending.unwritten()).extracting(StatusCoalescer.Write::value).containsExactly("MASTER");
    }
    @Test
    void aValueOfferedAfterAWrittenValueAndARemovalIsWritten() {
        pending.offer("web", "MASTER");
        writeAllDue(true);
        pending.offerRemoval("web");
        pending.offer("web", "BACKUP");
        assertThat(due()).containsExactly("web=BACKUP");
    }

    @Test
    void aRemovalWrittenWhileANewerValueWasOfferedKeepsTheKeyForTheNewerValue() {
        pending.offer("web", "MASTER");
        writeAllDue(true);
        pending.offerRemoval("web");
        var removal = pending.due().get(0);
        pending.offer("web", "BACKUP");
        pending.succeeded(removal);
        assertThat(due()).containsExactly("web=BACKUP");
    }

    @Test
    void aLateResultForAWriteOfAKeyAlreadyRemovedChangesNothing() {
        pending.offer("web", "MASTER");
        var first = pending.due().get(0);
        pending.offerRemoval("web");
        writeAllDue(true);
        pending.failed(first);
        pending.succeeded(first);
        assertThat(pending.nextDue()).isEmpty();
        assertThat(pending.hasUnwritten()).isFalse();
    }

    @Test
    void hasUnwrittenUntilTheLatestValueIsWritten() {
        assertThat(pending.hasUnwritten()).isFalse();
        pending.offer("web", "MASTER");
        assertThat(pending.hasUnwritten()).isTrue();
        writeAllDue(false);
        assertThat(pending.hasUnwritten()).as("a failed write is still unwritten").isTrue();
        time.advance(Duration.ofMillis(200));
        writeAllDue(true);
        assertThat(pending.hasUnwritten()).isFalse();
    }
}
