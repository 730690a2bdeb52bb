package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.NodeState;
import io.carpoperator.testing.PrometheusSamples;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeRound;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.TargetRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMetricsTest {
    private static final double KIB = 1024;
    private static final ProbeResult PEER_ANSWERED_IN_2_MS =
            ProbeResult.answered(ProbeTarget.icmp(TargetRole.PEER, "198.51.100.12"), Duration.ofMillis(2));

    @TempDir
    Path proc;

    private final List<Long> children = new CopyOnWriteArrayList<>();

    private AgentMetrics metrics() {
        return new AgentMetrics(new MemoryFootprint(proc, () -> List.copyOf(children)));
    }

    private static ProbeRound round(ProbeResult... results) {
        return new ProbeRound(Instant.EPOCH, List.of(results));
    }

    private void process(String pid, long rssKib, Long pssKib) throws IOException {
        Files.createDirectories(proc.resolve(pid));
        Files.writeString(proc.resolve(pid).resolve("status"), "Name:\tucarp\nVmPeak:\t  9000 kB\nVmRSS:\t    " + rssKib
                + " kB\nRssAnon:\t  100 kB\n");
        if (pssKib != null) {
            Files.writeString(proc.resolve(pid).resolve("smaps_rollup"), "55c9ebf7b000-7ffe3b468000 ---p 00000000 00:00 0  [rollup]\n"
                    + "Rss:                " + rssKib + " kB\nPss:                 " + pssKib + " kB\nPss_Dirty:           1 kB\n");
        }
    }

    @Test
    void rendersTheVipSeriesUnderTheirNamesTypesAndLabels() {
        AgentMetrics metrics = metrics();
        metrics.stateChanged("web", "198.51.100.10", NodeState.BACKUP);
        metrics.stateChanged("web", "198.51.100.10", NodeState.MASTER);
        metrics.probeRound("web", round(PEER_ANSWERED_IN_2_MS,
                ProbeResult.failed(ProbeTarget.icmp(TargetRole.ISOLATION_HOST, "198.51.100.1"), "exit 1: no reply")));
        metrics.ucarpRestarts("web", 3);
        metrics.statusWriteFailed();
        metrics.countStatusWriteFailuresFrom(() -> 2);

        PrometheusSamples samples = PrometheusSamples.parse(metrics.render());

        assertThat(samples.value("carp_vip_state", "vip", "web", "address", "198.51.100.10", "state", "MASTER")).hasValue(1);
        assertThat(samples.value("carp_vip_state", "vip", "web", "address", "198.51.100.10", "state", "BACKUP"))
                .as("one state series per VIP: the one it is in").isEmpty();
        assertThat(samples.value("carp_vip_transitions_total", "vip", "web", "to", "MASTER")).hasValue(1);
        assertThat(samples.value("carp_vip_transitions_total", "vip", "web", "to", "BACKUP")).hasValue(1);
        assertThat(samples.value("carp_probe_failures_total", "vip", "web", "role", "isolation_host")).hasValue(1);
        assertThat(samples.value("carp_probe_failures_total", "vip", "web", "role", "peer")).hasValue(0);
        assertThat(samples.value("carp_probe_rtt_seconds", "vip", "web", "role", "peer")).hasValue(0.002);
        assertThat(samples.value("carp_ucarp_restarts_total", "vip", "web")).hasValue(3);
        assertThat(samples.value("carp_status_write_failures_total")).as("ours plus the reporter's").hasValue(3);
        assertThat(samples.types()).containsEntry("carp_vip_state", "gauge").containsEntry("carp_vip_transitions_total", "counter")
                .containsEntry("carp_probe_failures_total", "counter").containsEntry("carp_probe_rtt_seconds", "gauge")
                .containsEntry("carp_ucarp_restarts_total", "counter").containsEntry("carp_status_write_failures_total", "counter");
    }

    @Test
    void aRemovedVipLeavesNoSeriesBehind() {
        AgentMetrics metrics = metrics();
        metrics.stateChanged("web", "198.51.100.10", NodeState.MASTER);
        metrics.stateChanged("db", "198.51.100.20", NodeState.BACKUP);
        metrics.probeRound("web", round(PEER_ANSWERED_IN_2_MS));
        metrics.ucarpRestarts("web", 1);

        metrics.remove("web");

        assertThat(metrics.render()).doesNotContain("vip=\"web\"").contains("vip=\"db\"");
        metrics.stateChanged("web", "198.51.100.10", NodeState.INIT);
        assertThat(PrometheusSamples.parse(metrics.render()).value("carp_vip_transitions_total", "vip", "web", "to", "MASTER"))
                .as("a VIP created again counts from zero").isEmpty();
    }

    @Test
    void exportsJvmAndProcessMetrics() {
        assertThat(PrometheusSamples.parse(metrics().render()).types()).containsKeys("jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds", "system_cpu_count");
    }

    @Test
    void readsTheFootprintOfTheAgentAndItsChildrenAtScrapeTime() throws IOException {
        AgentMetrics metrics = metrics();
        process("self", 60_000, 50_000L);
        process("101", 1_000, 400L);
        process("102", 2_000, 600L);
        children.addAll(List.of(101L, 102L));

        PrometheusSamples samples = PrometheusSamples.parse(metrics.render());

        assertThat(samples.value("carp_agent_process_rss_bytes")).hasValue(60_000 * KIB);
        assertThat(samples.value("carp_agent_process_pss_bytes")).hasValue(50_000 * KIB);
        assertThat(samples.value("carp_agent_children_rss_bytes")).hasValue(3_000 * KIB);
        assertThat(samples.value("carp_agent_children_pss_bytes")).hasValue(1_000 * KIB);

        process("103", 5_000, 2_000L);
        children.add(103L);
        assertThat(PrometheusSamples.parse(metrics.render()).value("carp_agent_children_rss_bytes"))
                .as("read again at the next scrape").hasValue(8_000 * KIB);
    }

    @Test
    void aChildThatExitedBeforeItWasReadIsLeftOut() throws IOException {
        AgentMetrics metrics = metrics();
        process("self", 60_000, 50_000L);
        process("101", 1_000, 400L);
        process("102", 2_000, null);
        children.addAll(List.of(101L, 102L, 4711L));

        PrometheusSamples samples = PrometheusSamples.parse(metrics.render());

        assertThat(samples.value("carp_agent_children_rss_bytes")).hasValue(3_000 * KIB);
        assertThat(samples.value("carp_agent_children_pss_bytes")).as("102 has no smaps_rollup (yet)").hasValue(400 * KIB);
    }

    @Test
    void withoutProcTheOwnFootprintIsNotANumberAndChildrenCountNothing() {
        PrometheusSamples samples = PrometheusSamples.parse(metrics().render());

        assertThat(samples.value("carp_agent_process_rss_bytes").getAsDouble()).isNaN();
        assertThat(samples.value("carp_agent_process_pss_bytes").getAsDouble()).isNaN();
        assertThat(samples.value("carp_agent_children_pss_bytes")).hasValue(0);
    }

    @Test
    void theRealProcessHasAFootprintOnLinux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc here (not Linux)");
        MemoryFootprint footprint = MemoryFootprint.ofThisProcess();
        assertThat(footprint.ownRssBytes()).isGreaterThan(1024 * KIB);
        assertThat(footprint.childrenRssBytes()).isGreaterThanOrEqualTo(0);
    }
}
