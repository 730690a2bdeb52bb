package io.carpoperator.carp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UcarpConfigTest {

    static UcarpConfig config(String iface, int vhid, int prefix, int advbase, int advskew, boolean preempt, boolean neutral) {
        return UcarpConfig.withPrefixAsXparam(iface, "198.51.100.11", vhid, Path.of("/run/carp/99.pass"), "198.51.100.10",
                prefix, advbase, advskew, preempt, neutral, Path.of("/run/carp/up.sh"), Path.of("/run/carp/down.sh"));
    }

    @Test
    void buildsTheArgvWithPassfileShutdownHookAndPrefixAsXparam() {
        assertThat(UcarpCommandLine.of(config("eth0", 99, 24, 1, 10, false, false))).containsExactly(
                "ucarp", "-i", "eth0", "-s", "198.51.100.11", "-v", "99", "-o", "/run/carp/99.pass",
                "-a", "198.51.100.10", "-b", "1", "-k", "10", "-z",
                "-u", "/run/carp/up.sh", "-d", "/run/carp/down.sh", "-x", "24");
    }

    @Test
    void addsPreemptAndNeutralFlagsOnlyWhenAsked() {
        List<String> argv = UcarpCommandLine.of(config("eth0", 99, 24, 1, 0, true, true));

        assertThat(argv).containsSubsequence("-k", "0", "-P", "-n", "-z");
    }

    @Test
    void neverPutsThePasswordOnTheCommandLine() {
        assertThat(UcarpCommandLine.of(config("eth0", 99, 24, 1, 0, true, false))).doesNotContain("-p", "--pass");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "vhid 0     | eth0 | 0   | 24 | 1   | 0   | vhid must be between 1 and 255, got 0",
            "vhid 256   | eth0 | 256 | 24 | 1   | 0   | vhid must be between 1 and 255, got 256",
            "skew -1    | eth0 | 1   | 24 | 1   | -1  | advskew must be between 0 and 255, got -1",
            "skew 256   | eth0 | 1   | 24 | 1   | 256 | advskew must be between 0 and 255, got 256",
            "advbase 0  | eth0 | 1   | 24 | 0   | 0   | advbase must be between 1 and 255, got 0",
            "prefix 7   | eth0 | 1   | 7  | 1   | 0   | prefixLength must be between 8 and 32, got 7",
            "prefix 33  | eth0 | 1   | 33 | 1   | 0   | prefixLength must be between 8 and 32, got 33",
            "long iface | a-very-long-ifname | 1 | 24 | 1 | 0 | interfaceName must be at most 15 bytes, got 'a-very-long-ifname' (18 bytes)",
            "slash      | eth0/1 | 1 | 24 | 1   | 0   | interfaceName must not contain '/' or whitespace, got 'eth0/1'",
            "space      | 'eth 0' | 1 | 24 | 1  | 0   | interfaceName must not contain '/' or whitespace, got 'eth 0'",
    })
    void rejectsInvalidFieldsNamingFieldAndValue(String why, String iface, int vhid, int prefix, int advbase, int advskew, String message) {
        assertThatThrownBy(() -> config(iface, vhid, prefix, advbase, advskew, false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void acceptsTheBoundaries() {
        assertThat(config("abcdefghijklmno", 255, 32, 255, 255, false, false).vhid()).isEqualTo(255);
        assertThat(config("eth0", 1, 8, 1, 0, false, false).prefixLength()).isEqualTo(8);
    }

    @Test
    void rejectsAddressesThatAreNotIpv4() {
        assertThatThrownBy(() -> new UcarpConfig("eth0", "198.51.100.300", 1, Path.of("p"), "198.51.100.10", 24, 1, 0,
                false, false, Path.of("u"), Path.of("d"), null))
                .hasMessage("sourceAddress must be an IPv4 address like 198.51.100.10, got '198.51.100.300' ('300' is above 255)");
        assertThatThrownBy(() -> new UcarpConfig("eth0", "198.51.100.11", 1, Path.of("p"), "2001:db8::1", 24, 1, 0,
                false, false, Path.of("u"), Path.of("d"), null))
                .hasMessage("virtualAddress must be an IPv4 address like 198.51.100.10, got '2001:db8::1' (it is an IPv6 address; IPv6 is not supported yet)");
        assertThatThrownBy(() -> new UcarpConfig("eth0", "198.51.100.11", 1, Path.of("p"), "198.51.100.010", 24, 1, 0,
                false, false, Path.of("u"), Path.of("d"), null))
                .as("ucarp's inet_aton would advertise 198.51.100.8")
                .hasMessage("virtualAddress must be an IPv4 address like 198.51.100.10, got '198.51.100.010' ('010' has a leading zero, which inet_aton would read as octal)");
    }

    @Test
    void labelsLogLinesWithVipAndVhid() {
        assertThat(config("eth0", 99, 24, 1, 0, false, false).label()).isEqualTo("vip 198.51.100.10 vhid 99");
    }
}
