package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.lab.Lab;
import io.carpoperator.testing.LabTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's own stop and crash paths on the wire, through the data-plane benchmark's harness (two standalone agent
 * JVMs on a two-node lab, a client pinging the VIP): one run each, bounds generous against the benchmark's figures
 * (docs/BENCHMARKS.md). Whatever receives the SIGTERM (the JVM alone, its process group, every process of the instance)
 * a backup takes over while the address still serves; a ucarp killed under a live agent leaves the address at once.
 */
@LabTest
class AgentStopPathsLabIT {

    /** The bound on the benchmark's maximum over 10 runs; one run here must meet it. */
    static final double HANDOVER_OUTAGE_LIMIT = 0.5;
    /** Required 0.2 s; the holder polls every 20 ms or more (each poll runs ip in both namespaces). */
    static final double CRASH_RELEASE_LIMIT = 0.5;
    /** Required 4 s: the backup's master-down timer at advbase 1 is 3 s. */
    static final double SINGLE_HOLDER_LIMIT = 5.0;

    private static Lab lab;
    private static Path work;
    private static ScenarioRunner runner;
    private static AgentSystem agent;

    @BeforeAll
    static void buildLab() throws IOException {
        lab = Lab.builder().nodes(2).build();
        work = Files.createTempDirectory(lab.runPrefix() + "-stop-paths-");
        BenchPair pair = new BenchPair(lab, lab.node(1), lab.node(2), DataPlaneBench.VIP, DataPlaneBench.PASSWORD, work);
        runner = new ScenarioRunner(pair, new Random(14));
        agent = new AgentSystem(pair);
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
        DataPlaneBench.deleteTree(work);
    }

    @Test
    void sigtermToTheJvmAloneHandsOver() {
        assertHandedOver(Scenario.GRACEFUL, 61);
    }

    @Test
    void sigtermToTheWholeProcessGroupHandsOverBecauseUcarpIsInASessionOfItsOwn() {
        assertHandedOver(Scenario.GRACEFUL_GROUP, 62);
    }

    @Test
    void sigtermToEveryProcessAtOnceHandsOverBecauseUcarpDoesNotActOnIt() {
        assertHandedOver(Scenario.GRACEFUL_ALL, 63);
    }

    @Test
    void aKilledUcarpUnderALiveAgentLeavesTheAddressAtOnceAndOneNodeHoldsItSoon() {
        ScenarioRunner.RunOutcome outcome = runner.run(agent, Scenario.UCARP_CRASH, 64);
        Map<String, Double> figures = outcome.figures();
        System.out.printf("ucarp crash: %s; notes %s%n", figures, outcome.notes());
        assertThat(outcome.notes()).isEmpty();
        assertThat(figures.get(ScenarioRunner.CRASH_RELEASE)).as("node1 lets go of the address (s)")
                .isLessThanOrEqualTo(CRASH_RELEASE_LIMIT);
        assertThat(figures.get(ScenarioRunner.CRASH_TWO_HOLDERS)).as("both nodes hold it (s)")
                .isLessThanOrEqualTo(CRASH_RELEASE_LIMIT);
        assertThat(figures.get(ScenarioRunner.CRASH_SINGLE_HOLDER)).as("one holder again (s)")
                .isLessThanOrEqualTo(SINGLE_HOLDER_LIMIT);
    }

    private static void assertHandedOver(Scenario scenario, int vhid) {
        ScenarioRunner.RunOutcome outcome = runner.run(agent, scenario, vhid);
        System.out.printf("%s: %s; notes %s%n", scenario.slug(), outcome.figures(), outcome.notes());
        assertThat(outcome.notes()).as("node2 took the VIP over and the client got replies").isEmpty();
        assertThat(outcome.figures().get(scenario.slug())).as("client outage (s) after " + scenario.description())
                .isLessThanOrEqualTo(HANDOVER_OUTAGE_LIMIT);
    }
}
