package io.carpoperator.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class AddressControlTest {

    // `ip -4 -o addr show` as printed by iproute2 in a lab namespace, with the VIP added by the up hook
    private static final String ADDRESSES = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            3: eth0    inet 198.51.100.11/24 scope global eth0\\       valid_lft forever preferred_lft forever
            3: eth0    inet 198.51.100.10/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever
            4: mgmt0    inet 203.0.113.11/24 scope global mgmt0\\       valid_lft forever preferred_lft forever
            """;

    private final RecordingCommandRunner runner = new RecordingCommandRunner()
            .answer("ip -4 -o addr show", new CommandRunner.Result(0, ADDRESSES, ""))
            .answer("ip -4 -o addr show dev eth0", new CommandRunner.Result(0, ADDRESSES.lines()
                    .filter(l -> l.contains("eth0")).map(l -> l + "\n").reduce("", String::concat), ""));
    private final AddressControl control = new AddressControl(runner);

    @Test
    void seesTheVipAssigned() throws IOException {
        assertThat(control.isAssigned("eth0", "198.51.100.10")).isTrue();
        assertThat(control.isAssigned("eth0", "198.51.100.20")).isFalse();
    }

    @Test
    void nodeAddressIsThePrimaryNotTheVip() throws IOException {
        assertThat(control.addressOn("eth0")).contains("198.51.100.11");
    }

    @Test
    void findsTheInterfaceWhoseSubnetContainsTheVip() throws IOException {
        assertThat(control.interfaceFor("198.51.100.20/24")).contains("eth0");
        assertThat(control.interfaceFor("203.0.113.50")).contains("mgmt0");
        assertThat(control.interfaceFor("192.0.2.1/24")).isEmpty();
        assertThat(control.interfaceFor("198.51.100.20/25")).isEmpty();
    }

    @Test
    void readsTheDefaultGatewayOfTheInterface() throws IOException {
        runner.answer("ip -4 route show default dev eth0", new CommandRunner.Result(0, "default via 198.51.100.1 \n", ""));

        assertThat(control.defaultGateway("eth0")).contains("198.51.100.1");
    }

    @Test
    void noDefaultRouteMeansNoGateway() throws IOException {
        runner.answer("ip -4 route show default dev eth0", new CommandRunner.Result(0, "", ""));

        assertThat(control.defaultGateway("eth0")).isEmpty();
    }

    @Test
    void removesTheAddressWithItsPrefix() throws IOException {
        assertThat(control.remove("eth0", "198.51.100.10", 24)).isTrue();
        assertThat(runner.commands()).containsExactly("ip addr del 198.51.100.10/24 dev eth0");
    }

    @Test
    void removingAnAbsentAddressIsNotAnError() throws IOException {
        runner.answer("ip addr del", new CommandRunner.Result(2, "", "Error: ipv4: Address not found.\n"));

        assertThat(control.remove("eth0", "198.51.100.10", 24)).isFalse();
    }

    @Test
    void removalFailingForAnotherReasonSaysWhy() {
        runner.answer("ip addr del", new CommandRunner.Result(1, "", "RTNETLINK answers: Operation not permitted\n"));

        assertThatThrownBy(() -> control.remove("eth0", "198.51.100.10", 24))
                .hasMessage("ip addr del 198.51.100.10/24 dev eth0 failed with exit 1: RTNETLINK answers: Operation not permitted");
    }

    @Test
    void sendsOneUnsolicitedArp() throws IOException {
        control.sendGratuitousArp("eth0", "198.51.100.10");

        assertThat(runner.commands()).containsExactly("arping -U -c 1 -I eth0 198.51.100.10");
    }
}
