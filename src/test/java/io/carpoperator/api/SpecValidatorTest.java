package io.carpoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

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
                bad("hold limit zero", s -> isolation(s).holdLimit = 0, "spec.isolation.holdLimit", "0 is less than 1"),
                bad("probe interval too short", s -> isolation(s).probeIntervalMillis = 50, "spec.isolation.probeIntervalMillis", "50 is less than 100"),
                bad("duplicate preferred node", s -> s.preferredNodes = List.of("node-a", "node-b", "node-a"), "spec.preferredNodes", "lists 'node-a' more than once"),
                bad("node name longer than a DNS subdomain", s -> s.preferredNodes = List.of("n".repeat(254)), "spec.preferredNodes",
                        "is 254 characters; a node name has at most 253"),
                bad("too many preferred nodes", s -> s.preferredNodes = java.util.stream.IntStream.range(0, 65).mapToObj(i -> "node-" + i).toList(),
                        "spec.preferredNodes", "lists 65 nodes; at most 64"),
                bad("too many isolation hosts", s -> isolation(s).hosts = java.util.stream.IntStream.range(1, 10).mapToObj(i -> "198.51.100." + i).toList(),
                        "spec.isolation.hosts", "lists 9 hosts; at most 8"),
                bad("duplicate isolation host", s -> isolation(s).hosts = List.of("198.51.100.1", "198.51.100.1"), "spec.isolation.hosts",
                        "lists a host twice"),
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
