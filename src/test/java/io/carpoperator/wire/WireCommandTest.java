package io.carpoperator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireCommandTest {

    @Test
    void commandsAreOneLineEachInTheHelpersWords() {
        assertThat(WireCommand.icmp(1, "198.51.100.1")).isEqualTo("icmp 1 198.51.100.1");
        assertThat(WireCommand.arp(2, "eth0", "198.51.100.1")).isEqualTo("arp 2 eth0 198.51.100.1");
        assertThat(WireCommand.dad(3, "bond0.100", "198.51.100.250")).isEqualTo("dad 3 bond0.100 198.51.100.250");
        assertThat(WireCommand.cancel(4)).isEqualTo("cancel 4");
        assertThat(WireCommand.listen("eth0")).isEqualTo("listen eth0");
        assertThat(WireCommand.unlisten("eth0")).isEqualTo("unlisten eth0");
    }

    @Test
    void anArgumentThatCouldSmuggleASecondCommandIsRefusedNamingIt() {
        assertThatThrownBy(() -> WireCommand.listen("eth0\nquit")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interface 'eth0\nquit' is not a Linux interface name (1-15 characters, no '/', ':' or whitespace)");
        assertThatThrownBy(() -> WireCommand.arp(1, "eth 0", "198.51.100.1")).hasMessageContaining("interface 'eth 0'");
        assertThatThrownBy(() -> WireCommand.icmp(1, "198.51.100.1 quit")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address '198.51.100.1 quit' is not an IPv4 address (it contains whitespace); the wire helper takes dotted quads only");
    }

    @Test
    void whatLinuxRefusesAsAnInterfaceNameIsRefusedHereToo() {
        for (String bad : new String[] {"", ".", "..", "a/b", "eth0:1", "sixteen-chars-xx", null}) {
            assertThatThrownBy(() -> WireCommand.listen(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(WireCommand.listen("fifteen-chars-x")).isEqualTo("listen fifteen-chars-x");
    }

    @Test
    void hostNamesAndIpv6AreNotAddressesForTheHelper() {
        assertThatThrownBy(() -> WireCommand.icmp(1, "gateway.example")).hasMessageContaining("'gateway.example' is not an IPv4 address");
        assertThatThrownBy(() -> WireCommand.icmp(1, "2001:db8::1")).hasMessageContaining("'2001:db8::1' is not an IPv4 address");
        assertThatThrownBy(() -> WireCommand.icmp(1, "198.51.100.256")).hasMessageContaining("'198.51.100.256'");
    }

    @Test
    void requestIdsFitTheHelpersEighteenDigits() {
        assertThat(WireCommand.cancel(WireCommand.MAX_REQUEST_ID)).isEqualTo("cancel 999999999999999999");
        assertThatThrownBy(() -> WireCommand.cancel(-1)).hasMessage("request id -1 is outside 0-999999999999999999");
    }
}
