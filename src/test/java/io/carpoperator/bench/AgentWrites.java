package io.carpoperator.bench;

import java.util.concurrent.atomic.LongAdder;

/** The simulated agents' writes as they saw them: sent, answered with success, failed; and the time spent waiting. */
final class AgentWrites {
    private final LongAdder attempts = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    record Snapshot(long attempts, long succeeded, long failed, long nanos, long bytes) {
        Snapshot minus(Snapshot earlier) {
            return new Snapshot(attempts - earlier.attempts, succeeded - earlier.succeeded, failed - earlier.failed,
                    nanos - earlier.nanos, bytes - earlier.bytes);
        }

        double meanBytes() {
            return attempts == 0 ? 0 : (double) bytes / attempts;
        }

        double meanMillis() {
            long done = succeeded + failed;
            return done == 0 ? 0 : nanos / 1e6 / done;
        }
    }

    /** Runs one write of {@code size} bytes and counts it; rethrows its failure so the caller's retry logic sees it. */
    <T> T count(int size, java.util.concurrent.Callable<T> write) throws Exception {
        attempts.increment();
        bytes.add(size);
        long start = System.nanoTime();
        try {
            T result = write.call();
            succeeded.increment();
            return result;
        } catch (Exception e) {
            failed.increment();
            throw e;
        } finally {
            nanos.add(System.nanoTime() - start);
        }
    }

    Snapshot snapshot() {
        return new Snapshot(attempts.sum(), succeeded.sum(), failed.sum(), nanos.sum(), bytes.sum());
    }
}
