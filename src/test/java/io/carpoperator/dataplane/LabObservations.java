package io.carpoperator.dataplane;

import static org.awaitility.Awaitility.await;

import io.carpoperator.lab.ClientPinger;
import io.carpoperator.lab.Lab;
import java.time.Duration;
import java.time.Instant;

/** What the data-plane lab tests observe: client replies and gaps, who holds the VIP, figures printed as "MEASURED". */
final class LabObservations {

    private LabObservations() {
    }

    static void awaitReplies(ClientPinger pinger) {
        Instant from = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> pinger.replyCountSince(from) >= 5);
    }

    /** The longest time between two replies the client saw in [from, to]. */
    static Duration outage(ClientPinger pinger, Instant from, Instant to) {
        return pinger.report().longestGap(from, to).duration();
    }

    /** Samples the VIP's holders every 25 ms for {@code duration}; returns in how many samples two nodes held it. */
    static int samplesWithTwoHolders(Lab lab, String vip, Duration duration) {
        int both = 0;
        Instant until = Instant.now().plus(duration);
        while (Instant.now().isBefore(until)) {
            if (lab.holders(vip).size() > 1) {
                both++;
            }
            pause(Duration.ofMillis(25));
        }
        return both;
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void measured(String what, Object value) {
        System.out.println("MEASURED " + what + ": " + value);
    }
}
