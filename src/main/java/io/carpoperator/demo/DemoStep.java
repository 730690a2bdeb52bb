package io.carpoperator.demo;

import java.time.Duration;

/** One scene of the demo: it acts on the lab or the API, waits for the expected state and measures one figure. */
interface DemoStep {
    /** The name `--scenario` takes. */
    String name();

    /** What should happen, in one line. */
    String expectation();

    /** What the measured figure is. */
    String measure();

    Duration bound();

    StepResult run(DemoWorld world, DemoOutput out) throws InterruptedException;
}
