package io.carpoperator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeepalivedSystemTest {

    @Test
    void configHasTheAgentsTimersTheTrackScriptAndTheNotifyScript() {
        String config = KeepalivedSystem.config("node1", "eth0", 28, 150, "198.51.100.10/24",
                "/b/isolation-check.sh 198.51.100.12 203.0.113.12 198.51.100.1", "/b/notify-state.sh /w/state");

        assertThat(config)
                .contains("script_user root")
                .contains("script \"/b/isolation-check.sh 198.51.100.12 203.0.113.12 198.51.100.1\"")
                .contains("interval 1", "fall 2", "rise 2")
                .contains("state MASTER", "virtual_router_id 28", "priority 150", "advert_int 1")
                .contains("198.51.100.10/24 dev eth0")
                .contains("notify \"/b/notify-state.sh /w/state\"")
                .doesNotContain("vrrp_strict", "unicast");
    }

    @Test
    void theLessPreferredNodeStartsAsBackup() {
        String config = KeepalivedSystem.config("node2", "eth0", 28, 100, "198.51.100.10/24", "c", "n");

        assertThat(config).contains("state BACKUP", "priority 100");
    }
}
