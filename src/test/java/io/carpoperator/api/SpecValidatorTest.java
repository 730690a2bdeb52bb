package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

    static VirtualIPSpec valid() {
        VirtualIPSpec spec = new VirtualIPSpec();
        spec.address = "198.51.100.10/24";
        spec.passwordSecretRef = new SecretKeyRef("carp-password", "password");
        return spec;
    }

    @Test
    void acceptsTheMinimalSpec() {
        assertThat(SpecValidator.validate(valid())).isEmpty();
    }

    @Test
    void acceptsSlash32AndSlash31WhereEveryAddressIsUsable() {
        VirtualIPSpec spec = valid();
        spec.address = "198.51.100.0/31";
        assertThat(SpecValidator.validate(spec)).isEmpty();
        spec.address = "198.51.100.7/32";
        assertThat(SpecValidator.validate(spec)).isEmpty();
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                bad("address without prefix", s -> s.address = "198.51.100.10", "spec.address", "'198.51.100.10' has no prefix length"),
                bad("not an address", s -> s.address = "vip.example/24", "spec.address", "'vip.example/24' is not an IPv4 address"),
                bad("octet over 255", s -> s.address = "198.51.100.256/24", "spec.address", "'198.51.100.256/24' is not an IPv4 address"),
                bad("IPv6", s -> s.address = "2001:db8::1/64", "spec.address", "IPv6 is not supported yet"),
                bad("prefix too short", s -> s.address = "198.51.100.10/7", "spec.address", "prefix length 7, outside 8-32"),
                bad("prefix too long", s -> s.address = "198.51.100.10/33", "spec.address", "prefix length 33, outside 8-32"),
                bad("network address", s -> s.address = "198.51.100.0/24", "spec.address", "'198.51.100.0/24' is the network address of 198.51.100.0/24"),
                bad("broadcast address", s -> s.address = "198.51.100.255/24", "spec.address", "is the broadcast address of 198.51.100.0/24"),
                bad("vhid zero", s -> s.vhid = 0, "spec.vhid", "0 is outside 1-255"),
                bad("vhid 256", s -> s.vhid = 256, "spec.vhid", "256 is outside 1-255"),
                bad("interface too long", s -> s.interfaceName = "averyveryverylongif0", "spec.interface", "'averyveryverylongif0' is 20 bytes; Linux allows at most 15"),
                bad("interface with slash", s -> s.interfaceName = "eth0/1", "spec.interface", "'eth0/1' contains '/' or whitespace"),
                bad("interface with space", s -> s.interfaceName = "eth 0", "spec.interface", "'eth 0' contains '/' or whitespace"),
                bad("isolation host not an IP", s -> isolation(s).hosts = List.of("198.51.100.1", "gateway"), "spec.isolation.hosts", "'gateway' is not an IPv4 address"),
                bad("hold limit zero", s -> isolation(s).holdLimit = 0, "spec.isolation.holdLimit", "0 is outside 1-100"),
                bad("probe interval too short", s -> isolation(s).probeIntervalMillis = 50, "spec.isolation.probeIntervalMillis", "50 is outside 100-600000"),
                bad("duplicate preferred node", s -> s.preferredNodes = List.of("node-a", "node-b", "node-a"), "spec.preferredNodes", "lists 'node-a' more than once"),
                bad("node name longer than a DNS subdomain", s -> s.preferredNodes = List.of("n".repeat(254)), "spec.preferredNodes",
                        "is 254 characters; node names have at most 253"),
                bad("too many preferred nodes", s -> s.preferredNodes = java.util.stream.IntStream.range(0, 65).mapToObj(i -> "node-" + i).toList(),
                        "spec.preferredNodes", "lists 65 nodes; at most 64"),
                bad("too many isolation hosts", s -> isolation(s).hosts = java.util.stream.IntStream.range(1, 10).mapToObj(i -> "198.51.100." + i).toList(),
                        "spec.isolation.hosts", "lists 9 hosts; at most 8"),
                bad("duplicate isolation host", s -> isolation(s).hosts = List.of("198.51.100.1", "198.51.100.1"), "spec.isolation.hosts",
                        "more than once"),
                bad("no password secret", s -> s.passwordSecretRef = null, "spec.passwordSecretRef", "no built-in CARP password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void rejectsWithAMessageNamingFieldAndValue(String name, Consumer<VirtualIPSpec> edit, String field, String message) {
        VirtualIPSpec spec = valid();
        edit.accept(spec);
        List<FieldProblem> problems = SpecValidator.validate(spec);
        assertThat(problems).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(message);
        });
    }

    /** Both sides of every boundary of the CRD schema, and of the rules beyond it; null = valid. */
    static Stream<Arguments> boundaries() {
        return Stream.of(
                edge("prefix 8", s -> s.address = "10.0.0.1/8", null),
                edge("prefix 7", s -> s.address = "10.0.0.1/7", "spec.address: '10.0.0.1/7' has prefix length 7, outside 8-32"),
                edge("prefix 32", s -> s.address = "198.51.100.10/32", null),
                edge("prefix 33", s -> s.address = "198.51.100.10/33", "spec.address: '198.51.100.10/33' has prefix length 33, outside 8-32"),
                edge("vhid 1", s -> s.vhid = 1, null),
                edge("vhid 255", s -> s.vhid = 255, null),
                edge("vhid 0", s -> s.vhid = 0, "spec.vhid: 0 is outside 1-255"),
                edge("vhid 256", s -> s.vhid = 256, "spec.vhid: 256 is outside 1-255"),
                edge("interface 1 character", s -> s.interfaceName = "e", null),
                edge("interface 15 bytes", s -> s.interfaceName = "enp0s31f6-bond1", null),
                edge("interface 16 bytes", s -> s.interfaceName = "enp0s31f6-bond12", "spec.interface: 'enp0s31f6-bond12' is 16 bytes; Linux allows at most 15"),
                edge("interface empty", s -> s.interfaceName = "", "spec.interface: is empty; omit it to pick the interface from the address"),
                edge("interface with ':'", s -> s.interfaceName = "eth0:1", "spec.interface: 'eth0:1' is not a Linux interface name"),
                edge("interface '..'", s -> s.interfaceName = "..", "spec.interface: '..' is not a Linux interface name"),
                edge("advertisement interval 1", s -> advertisement(s).intervalSeconds = 1, null),
                edge("advertisement interval 255", s -> advertisement(s).intervalSeconds = 255, null),
                edge("advertisement interval 0", s -> advertisement(s).intervalSeconds = 0, "spec.advertisement.intervalSeconds: 0 is outside 1-255"),
                edge("advertisement interval 256", s -> advertisement(s).intervalSeconds = 256, "spec.advertisement.intervalSeconds: 256 is outside 1-255"),
                edge("skew 0", s -> advertisement(s).skew = 0, null),
                edge("skew 200", s -> advertisement(s).skew = 200, null),
                edge("skew -1", s -> advertisement(s).skew = -1, "spec.advertisement.skew: -1 is outside 0-200"),
                edge("skew 201", s -> advertisement(s).skew = 201, "spec.advertisement.skew: 201 is outside 0-200"),
                edge("gratuitous ARP interval 0", s -> garp(s).intervalSeconds = 0, null),
                edge("gratuitous ARP interval 3600", s -> garp(s).intervalSeconds = 3600, null),
                edge("gratuitous ARP interval -1", s -> garp(s).intervalSeconds = -1, "spec.gratuitousArp.intervalSeconds: -1 is outside 0-3600"),
                edge("gratuitous ARP interval 3601", s -> garp(s).intervalSeconds = 3601, "spec.gratuitousArp.intervalSeconds: 3601 is outside 0-3600"),
                edge("holdLimit 1", s -> isolation(s).holdLimit = 1, null),
                edge("holdLimit 100", s -> isolation(s).holdLimit = 100, null),
                edge("holdLimit 0", s -> isolation(s).holdLimit = 0, "spec.isolation.holdLimit: 0 is outside 1-100"),
                edge("holdLimit 101", s -> isolation(s).holdLimit = 101, "spec.isolation.holdLimit: 101 is outside 1-100"),
                edge("recoverAfter 1", s -> isolation(s).recoverAfter = 1, null),
                edge("recoverAfter 100", s -> isolation(s).recoverAfter = 100, null),
                edge("recoverAfter 0", s -> isolation(s).recoverAfter = 0, "spec.isolation.recoverAfter: 0 is outside 1-100"),
                edge("recoverAfter 101", s -> isolation(s).recoverAfter = 101, "spec.isolation.recoverAfter: 101 is outside 1-100"),
                edge("probe interval 100", s -> isolation(s).probeIntervalMillis = 100, null),
                edge("probe interval 600000", s -> isolation(s).probeIntervalMillis = 600000, null),
                edge("probe interval 99", s -> isolation(s).probeIntervalMillis = 99, "spec.isolation.probeIntervalMillis: 99 is outside 100-600000"),
                edge("probe interval 600001", s -> isolation(s).probeIntervalMillis = 600001,
                        "spec.isolation.probeIntervalMillis: 600001 is outside 100-600000"),
                edge("8 isolation hosts", s -> isolation(s).hosts = hosts(8), null),
                edge("9 isolation hosts", s -> isolation(s).hosts = hosts(9), "spec.isolation.hosts: lists 9 hosts; at most 8"),
                edge("isolation host twice", s -> isolation(s).hosts = List.of("198.51.100.1", "198.51.100.1"),
                        "spec.isolation.hosts: lists '198.51.100.1' more than once"),
                edge("isolation host is the VIP", s -> isolation(s).hosts = List.of("198.51.100.10"),
                        "spec.isolation.hosts: '198.51.100.10' is the VirtualIP's own address"),
                edge("isolation host is the VIP subnet's network", s -> isolation(s).hosts = List.of("198.51.100.0"),
                        "spec.isolation.hosts: '198.51.100.0' is the network address of 198.51.100.0/24"),
                edge("isolation host is the VIP subnet's broadcast", s -> isolation(s).hosts = List.of("198.51.100.255"),
                        "spec.isolation.hosts: '198.51.100.255' is the broadcast address of 198.51.100.0/24"),
                edge("isolation host outside the VIP subnet", s -> isolation(s).hosts = List.of("203.0.113.0"), null),
                edge("isolation host is the network address of a /30", s -> {
                    s.address = "198.51.100.5/30";
                    isolation(s).hosts = List.of("198.51.100.4");
                }, "spec.isolation.hosts: '198.51.100.4' is the network address of 198.51.100.4/30"),
                edge("isolation host is the broadcast address of a /30", s -> {
                    s.address = "198.51.100.5/30";
                    isolation(s).hosts = List.of("198.51.100.7");
                }, "spec.isolation.hosts: '198.51.100.7' is the broadcast address of 198.51.100.4/30"),
                edge("isolation host is the other address of a /31", s -> {
                    s.address = "198.51.100.5/31";
                    isolation(s).hosts = List.of("198.51.100.4");
                }, null),
                edge("isolation host is the other address of a /31 ending in 7", s -> {
                    s.address = "198.51.100.6/31";
                    isolation(s).hosts = List.of("198.51.100.7");
                }, null),
                edge("isolation host on loopback", s -> isolation(s).hosts = List.of("127.0.0.1"),
                        "spec.isolation.hosts: '127.0.0.1' is a loopback address (127.0.0.0/8)"),
                edge("isolation host multicast", s -> isolation(s).hosts = List.of("224.0.0.18"),
                        "spec.isolation.hosts: '224.0.0.18' is a multicast address (224.0.0.0/4)"),
                edge("address on loopback", s -> s.address = "127.0.0.2/8", "spec.address: '127.0.0.2/8' is a loopback address"),
                edge("address in 0.0.0.0/8", s -> s.address = "0.0.0.1/8", "spec.address: '0.0.0.1/8' is in 0.0.0.0/8"),
                edge("address multicast", s -> s.address = "239.1.1.1/24", "spec.address: '239.1.1.1/24' is a multicast address"),
                edge("address reserved", s -> s.address = "240.1.1.1/24", "spec.address: '240.1.1.1/24' is a reserved or broadcast address"),
                edge("one probe", s -> isolation(s).probes = List.of(ProbeType.ARP), null),
                edge("two probes", s -> isolation(s).probes = List.of(ProbeType.ARP, ProbeType.ICMP), null),
                edge("no probe", s -> isolation(s).probes = List.of(), "spec.isolation.probes: is empty; list ICMP, ARP or both"),
                edge("three probes", s -> isolation(s).probes = List.of(ProbeType.ARP, ProbeType.ICMP, ProbeType.ARP),
                        "spec.isolation.probes: [ARP, ICMP, ARP] lists a probe twice"),
                edge("probe twice", s -> isolation(s).probes = List.of(ProbeType.ICMP, ProbeType.ICMP), "spec.isolation.probes: [ICMP, ICMP] lists a probe twice"),
                edge("empty probe entry", s -> isolation(s).probes = java.util.Arrays.asList(ProbeType.ICMP, null),
                        "spec.isolation.probes: [ICMP, null] contains an empty entry; list ICMP, ARP or both"),
                edge("64 preferred nodes", s -> s.preferredNodes = nodes(64), null),
                edge("65 preferred nodes", s -> s.preferredNodes = nodes(65), "spec.preferredNodes: lists 65 nodes; at most 64"),
                edge("node name of 253 characters", s -> s.preferredNodes = List.of(name(253)), null),
                edge("node name of 254 characters", s -> s.preferredNodes = List.of(name(254)),
                        "spec.preferredNodes: '" + name(254).substring(0, 37) + "...' is 254 characters; node names have at most 253"),
                edge("node name not DNS-1123", s -> s.preferredNodes = List.of("Node_A"), "spec.preferredNodes: 'Node_A' is not a node name"),
                edge("node name with dots", s -> s.preferredNodes = List.of("node-a.rack-1.example"), null),
                edge("Secret name of 253 characters", s -> s.passwordSecretRef = new SecretKeyRef(name(253), "password"), null),
                edge("Secret name of 254 characters", s -> s.passwordSecretRef = new SecretKeyRef(name(254), "password"),
                        "spec.passwordSecretRef.name: '" + name(254).substring(0, 37) + "...' is 254 characters; at most 253"),
                edge("Secret name not DNS-1123", s -> s.passwordSecretRef = new SecretKeyRef("Carp_Password", "password"),
                        "spec.passwordSecretRef.name: 'Carp_Password' is not a Secret name"),
                edge("empty Secret name", s -> s.passwordSecretRef = new SecretKeyRef("", "password"), "spec.passwordSecretRef.name: is empty"),
                edge("Secret key of 253 characters", s -> s.passwordSecretRef = new SecretKeyRef("carp", name(253)), null),
                edge("Secret key of 254 characters", s -> s.passwordSecretRef = new SecretKeyRef("carp", name(254)),
                        "spec.passwordSecretRef.key: '" + name(254).substring(0, 37) + "...' is 254 characters; at most 253"),
                edge("Secret key with '/'", s -> s.passwordSecretRef = new SecretKeyRef("carp", "a/b"),
                        "spec.passwordSecretRef.key: 'a/b' is not a Secret key"),
                edge("Secret key with capitals, '_' and '.'", s -> s.passwordSecretRef = new SecretKeyRef("carp", "CARP_pass.word-1"), null),
                edge("empty Secret key", s -> s.passwordSecretRef = new SecretKeyRef("carp", ""), "spec.passwordSecretRef.key: is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundaries")
    void checksBothSidesOfEveryBoundary(String name, Consumer<VirtualIPSpec> edit, String problem) {
        VirtualIPSpec spec = valid();
        edit.accept(spec);
        List<FieldProblem> problems = SpecValidator.validate(spec);
        if (problem == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().asString().startsWith(problem);
        }
    }

    @Test
    void aMissingSpecIsTheOneProblem() {
        assertThat(SpecValidator.validate(null)).extracting(FieldProblem::toString).containsExactly("spec: is missing");
    }

    @Test
    void reportsWhatCouldNotBeReadFirstAndIgnoresUnknownFields() {
        VirtualIPSpec spec = valid();
        spec.unread = List.of(
                new UnreadValue(List.of("isolation", "probes"), null, "spec.isolation.probes[0]",
                        "unsupported value \"TCP\": supported values: \"ICMP\", \"ARP\"", false),
                new UnreadValue(List.of("isolation", "newKnob"), null, "spec.isolation.newKnob", "ignored", true));
        spec.vhid = 0;
        assertThat(SpecValidator.validate(spec)).extracting(FieldProblem::toString).containsExactly(
                "spec.isolation.probes[0]: unsupported value \"TCP\": supported values: \"ICMP\", \"ARP\"",
                "spec.vhid: 0 is outside 1-255");
    }

    @Test
    void passwordsMustBeOneToNineteenBytesOnOneLine() {
        assertThat(SpecValidator.checkPassword("f", bytes("secret"))).isEmpty();
        assertThat(SpecValidator.checkPassword("f", bytes("1234567890123456789"))).isEmpty();
        assertThat(SpecValidator.checkPassword("f", bytes(""))).singleElement().hasToString("f: the password is empty");
        assertThat(SpecValidator.checkPassword("f", bytes("12345678901234567890"))).singleElement()
                .hasToString("f: the password is 20 bytes; CARP allows at most 19");
        assertThat(SpecValidator.checkPassword("f", bytes("two\nlines"))).hasSize(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AdvertisementSpec advertisement(VirtualIPSpec spec) {
        if (spec.advertisement == null) {
            spec.advertisement = new AdvertisementSpec();
        }
        return spec.advertisement;
    }

    private static GratuitousArpSpec garp(VirtualIPSpec spec) {
        if (spec.gratuitousArp == null) {
            spec.gratuitousArp = new GratuitousArpSpec();
        }
        return spec.gratuitousArp;
    }

    private static List<String> hosts(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "203.0.113." + i).toList();
    }

    private static List<String> nodes(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "node-" + i).toList();
    }

    /** A DNS-1123 subdomain of the given length: 63-character labels joined by dots. */
    private static String name(int length) {
        StringBuilder name = new StringBuilder();
        while (name.length() < length) {
            name.append(name.length() % 64 == 63 ? '.' : 'a');
        }
        return name.toString();
    }

    private static Arguments edge(String name, Consumer<VirtualIPSpec> edit, String problem) {
        return Arguments.of(name, edit, problem);
    }

    private static IsolationSpec isolation(VirtualIPSpec spec) {
        if (spec.isolation == null) {
            spec.isolation = new IsolationSpec();
        }
        return spec.isolation;
    }

    private static Arguments bad(String name, Consumer<VirtualIPSpec> edit, String field, String message) {
        return Arguments.of(name, edit, field, message);
    }
}
