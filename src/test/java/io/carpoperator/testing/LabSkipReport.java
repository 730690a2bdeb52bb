package io.carpoperator.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says loudly, at the end of a test run, how many lab tests did not run and why: Surefire's "Skipped: N" alone hid a
 * whole tier on a machine without root. Registered through META-INF/services for every JUnit run of this module.
 */
public final class LabSkipReport implements TestExecutionListener {

    private final Map<String, AtomicInteger> skippedByReason = new TreeMap<>();
    private final AtomicInteger classes = new AtomicInteger();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        count(identifier, reason);
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            count(identifier, result.getThrowable().map(Throwable::getMessage).orElse(""));
        }
    }

    private void count(TestIdentifier identifier, String message) {
        if (message == null || !message.startsWith(LabRequirement.SKIP_PREFIX)) {
            return;
        }
        long tests = identifier.isTest() ? 1 : plan.getDescendants(identifier).stream().filter(TestIdentifier::isTest).count();
        classes.incrementAndGet();
        synchronized (skippedByReason) {
            skippedByReason.computeIfAbsent(message.substring(LabRequirement.SKIP_PREFIX.length()), r -> new AtomicInteger())
                    .addAndGet((int) tests);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        synchronized (skippedByReason) {
            if (skippedByReason.isEmpty()) {
                return;
            }
            int total = skippedByReason.values().stream().mapToInt(AtomicInteger::get).sum();
            String rule = "!".repeat(100);
            System.out.println(rule);
            System.out.printf("!! %d LAB TESTS IN %d CLASSES DID NOT RUN (real ucarp in network namespaces)%n", total, classes.get());
            skippedByReason.forEach((reason, count) -> System.out.printf("!!   %d: %s%n", count.get(), reason));
            System.out.println("!! run as root to run them: sudo ./carp test");
            System.out.println(rule);
        }
    }
}
