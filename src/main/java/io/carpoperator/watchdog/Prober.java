package io.carpoperator.watchdog;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends one probe. The future never completes exceptionally: errors become failed results. */
public interface Prober {

    CompletableFuture<ProbeResult> probe(ProbeTarget target, Duration deadline);
}
