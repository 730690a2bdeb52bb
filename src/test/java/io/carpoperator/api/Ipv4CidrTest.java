package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    /**
     * The CRD's CEL patterns as Java regexes: in CEL's string literal "\\." is the regex "\.". Matched with
     * {@code matches()}: the API server's RE2 reads "$" as the end of the text, where Java's {@code find()} would also
     * stop before a final newline.
     */
    private static final Pattern CEL_ADDRESS = Pattern.compile(Ipv4Cidr.CEL_ADDRESS_PATTERN.replace("\\\\", "\\"));
    private static final Pattern CEL_CIDR = Pattern.compile(Ipv4Cidr.CEL_PATTERN.replace("\\\\", "\\"));

    private static final List<String> ADDRESSES = List.of("0.0.0.0", "198.51.100.10", "255.255.255.255", "10.0.0.1",
            "1.2.3.4");

    /** Not an address, and why: the reason ends up in the error of whichever field held the text. */
    private static final Map<String, String> NOT_ADDRESSES = Map.ofEntries(
            Map.entry("", "it is empty"),
            Map.entry("198.51.100.010", "'010' has a leading zero, which inet_aton would read as octal"),
            Map.entry("010.1.1.1", "'010' has a leading zero, which inet_aton would read as octal"),
            Map.entry("198.51.100.00", "'00' has a leading zero, which inet_aton would read as octal"),
            Map.entry("198.51.100.256", "'256' is above 255"),
            Map.entry("198.51.100.1000", "'1000' is above 255"),
            Map.entry("198.51.100", "it is not four numbers separated by dots"),
            Map.entry("198.51.100.10.1", "it is not four numbers separated by dots"),
            Map.entry("198.51.100.10.", "it is not four numbers separated by dots"),
            Map.entry("198..100.10", "it has an empty part"),
            Map.entry("198.51.100.+1", "'+1' is not a decimal number"),
            Map.entry("198.51.100.0x1", "'0x1' is not a decimal number"),
            Map.entry("198.51.100.١", "'١' is not a decimal number"),
            Map.entry(" 198.51.100.10", "it contains whitespace"),
            Map.entry("198.51.100.10\n", "it contains whitespace"),
            Map.entry("2001:db8::1", "it is an IPv6 address; IPv6 is not supported yet"),
            Map.entry("gateway", "it is not four numbers separated by dots"));

    @Test
    void acceptsFourDecimalNumbersFrom0To255WithoutLeadingZeros() {
        for (String address : ADDRESSES) {
            assertThat(Ipv4Cidr.isAddress(address)).as(address).isTrue();
            assertThat(Ipv4Cidr.addressProblem(address)).as(address).isEmpty();
            assertThat(Ipv4Cidr.format(Ipv4Cidr.parseAddress(address))).as("round trip").isEqualTo(address);
        }
        assertThat(Ipv4Cidr.isAddress(null)).isFalse();
    }

    @Test
    void saysWhyATextIsNotAnAddress() {
        NOT_ADDRESSES.forEach((text, why) -> {
            assertThat(Ipv4Cidr.addressProblem(text)).as("'%s'", text).contains(why);
            assertThat(Ipv4Cidr.isAddress(text)).as("'%s'", text).isFalse();
        });
        assertThatThrownBy(() -> Ipv4Cidr.parseAddress("198.51.100.010"))
                .hasMessage("'198.51.100.010' is not an IPv4 address: '010' has a leading zero, which inet_aton would read as octal");
    }

    @Test
    void agreesWithTheCrdsCelPatternsOnEveryExample() {
        for (String text : ADDRESSES) {
            assertThat(CEL_ADDRESS.matcher(text).matches()).as("CEL accepts '%s'", text).isTrue();
            assertThat(CEL_CIDR.matcher(text + "/24").matches()).as("CEL accepts '%s/24'", text).isTrue();
        }
        for (String text : NOT_ADDRESSES.keySet()) {
            assertThat(CEL_ADDRESS.matcher(text).matches()).as("CEL refuses '%s'", text).isFalse();
            assertThat(CEL_CIDR.matcher(text + "/24").matches()).as("CEL refuses '%s/24'", text).isFalse();
            assertThat(Ipv4Cidr.tryParse(text + "/24")).as("'%s/24'", text).isEmpty();
        }
        for (String prefix : List.of("7", "33", "024", "+24", "", "x", "08")) {
            String text = "198.51.100.10/" + prefix;
            assertThat(CEL_CIDR.matcher(text).matches()).as("CEL refuses '%s'", text).isFalse();
            assertThat(Ipv4Cidr.tryParse(text)).as("'%s'", text).isEmpty();
        }
        for (String prefix : List.of("8", "9", "24", "32")) {
            String text = "198.51.100.10/" + prefix;
            assertThat(CEL_CIDR.matcher(text).matches()).as("CEL accepts '%s'", text).isTrue();
            assertThat(Ipv4Cidr.tryParse(text)).as("'%s'", text).isPresent();
        }
    }

    @Test
    void aCidrSaysWhatIsWrongWithItsAddressOrPrefix() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("198.51.100.010/24"))
                .hasMessage("'198.51.100.010/24' is not an IPv4 address with a prefix, e.g. 192.168.10.1/24: "
                        + "'010' has a leading zero, which inet_aton would read as octal");
        assertThatThrownBy(() -> Ipv4Cidr.parse("198.51.100.10/024"))
                .hasMessage("'198.51.100.10/024' has prefix length '024', which is not a number 8-32");
        Ipv4Cidr cidr = Ipv4Cidr.parse("198.51.100.10/24");
        assertThat(cidr.subnet()).isEqualTo("198.51.100.0/24");
        assertThat(cidr.contains(Ipv4Cidr.parseAddress("198.51.100.200"))).isTrue();
        assertThat(cidr.contains(Ipv4Cidr.parseAddress("198.51.101.1"))).isFalse();
    }
    @Test
    void prefixLengthsWithEveryDigitParse() {
        for (int prefix : new int[] {9, 10, 19, 20, 29, 30}) {
            assertThat(Ipv4Cidr.parse("198.51.100.10/" + prefix).prefixLength()).isEqualTo(prefix);
        }
    }

    @Test
    void aPrefixThatIsNoDecimalNumberSaysSoAndPrefixZeroIsOutOfRange() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("198.51.100.10/2a"))
                .hasMessage("'198.51.100.10/2a' has prefix length '2a', which is not a number 8-32");
        assertThatThrownBy(() -> Ipv4Cidr.parse("198.51.100.10/+8"))
                .hasMessage("'198.51.100.10/+8' has prefix length '+8', which is not a number 8-32");
        assertThatThrownBy(() -> Ipv4Cidr.parse("198.51.100.10/0")).hasMessage("'198.51.100.10/0' has prefix length 0, outside 8-32");
    }

    @Test
    void aSlashWithoutAddressIsAnEmptyAddressNotAMissingPrefix() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("/24"))
                .hasMessage("'/24' is not an IPv4 address with a prefix, e.g. 192.168.10.1/24: it is empty");
        assertThatThrownBy(() -> Ipv4Cidr.parse("198.51.100.10"))
                .hasMessage("'198.51.100.10' has no prefix length; expected e.g. 198.51.100.10/24");
    }

    @Test
    void aSlash30HasANetworkAndABroadcastAddressAndASlash31HasNeither() {
        assertThat(Ipv4Cidr.parse("198.51.100.4/30").isNetworkAddress()).isTrue();
        assertThat(Ipv4Cidr.parse("198.51.100.7/30").isBroadcastAddress()).isTrue();
        assertThat(Ipv4Cidr.parse("198.51.100.5/30").isNetworkAddress()).isFalse();
        assertThat(Ipv4Cidr.parse("198.51.100.5/30").isBroadcastAddress()).isFalse();
        assertThat(Ipv4Cidr.parse("198.51.100.4/31").isNetworkAddress()).isFalse();
        assertThat(Ipv4Cidr.parse("198.51.100.5/31").isBroadcastAddress()).isFalse();
    }

    @Test
    void printsAsAddressSlashPrefix() {
        assertThat(Ipv4Cidr.parse("198.51.100.10/24")).hasToString("198.51.100.10/24");
    }
}
