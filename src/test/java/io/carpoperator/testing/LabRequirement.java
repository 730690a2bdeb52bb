package io.carpoperator.testing;

import io.carpoperator.lab.Lab;
import io.carpoperator.lab.LabReadiness;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Decides, before a lab test class builds anything, whether it runs, skips or fails:
 * <ul>
 * <li>not root (and not CI): skipped, with a reason {@link LabSkipReport} counts and prints at the end of the run;</li>
 * <li>root but a command of host-prerequisites.tsv missing: failed, naming the command and its package (a broken
 * machine must not look like a green run);</li>
 * <li>under CI=true anything but a ready lab fails: CI runs as root and must run every lab test.</li>
 * </ul>
 */
public final class LabRequirement implements ExecutionCondition, BeforeAllCallback {

    /** Every skip this extension causes starts with this, so the report can tell lab skips from others. */
    public static final String SKIP_PREFIX = "lab test skipped: ";

    /**
     * Skips as a disabled class, not as an aborted @BeforeAll: Surefire counts a disabled class as skipped, while an
     * aborted one showed "Tests run: 0, Skipped: 0" and hid the whole tier.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try {
            verdict(Lab.readiness(), ci(), context.getDisplayName());
            return ConditionEvaluationResult.enabled("the lab can run here");
        } catch (TestAbortedException skip) {
            return ConditionEvaluationResult.disabled(skip.getMessage());
        } catch (IllegalStateException failure) {
            return ConditionEvaluationResult.enabled("fails in beforeAll: " + failure.getMessage());
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LabReadiness readiness = Lab.readiness();
        verdict(readiness, ci(), context.getDisplayName());
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Returns when the lab can run; otherwise throws the abort (skip) or the failure this class documents. */
    static void verdict(LabReadiness readiness, boolean ci, String testClass) {
        if (readiness.ready()) {
            return;
        }
        String reason = readiness.reason().orElseThrow();
        if (ci) {
            throw new IllegalStateException("CI=true and " + testClass + " cannot run: " + reason
                    + "; CI must run every lab test (as root, with every package of host-prerequisites.tsv)");
        }
        if (readiness.rootButIncomplete()) {
            throw new IllegalStateException(testClass + " cannot run as root here: " + reason);
        }
        throw new TestAbortedException(SKIP_PREFIX + reason);
    }
}
