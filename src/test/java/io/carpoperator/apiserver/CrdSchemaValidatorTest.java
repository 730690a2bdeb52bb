package io.carpoperator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The VirtualIP CRD's schema and CEL rules enforced as a real API server enforces them. */
class CrdSchemaValidatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    static JsonNode committedCrd() throws IOException {
        try (InputStream in = CrdSchemaValidatorTest.class.getResourceAsStream("/crds/virtualips.carp-operator.io-v1.yml")) {
            return YAML.readTree(in);
        }
    }

    /** The committed CRD with an edit of its spec schema, for rules the committed one may not have (yet). */
    static CrdSchemaValidator withSpecSchemaEdit(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        JsonNode crd = committedCrd();
        edit.accept((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties"));
        return CrdSchemaValidator.forCrd(crd);
    }

    static ObjectNode seed() throws IOException {
        return (ObjectNode) YAML.readTree(Files.readString(Path.of("deploy/samples/virtualip-seed.yaml")));
    }

    private final CrdSchemaValidator validator;

    CrdSchemaValidatorTest() throws IOException {
        validator = CrdSchemaValidator.forCrd(committedCrd());
    }

    @Test
    void theSeedSampleIsValidAndKeptAsItIs() throws IOException {
        ObjectNode seed = seed();
        CrdSchemaValidator.Verdict verdict = validator.validate(seed, null);
        assertThat(verdict.errors()).isEmpty();
        assertThat(verdict.unknownFields()).isEmpty();
        assertThat(verdict.object()).isEqualTo(seed);
    }

    @Test
    void anAddressOutsideIpv4IsRefusedByTheCelRuleWithItsMessage() throws IOException {
        ObjectNode vip = seed();
        ((ObjectNode) vip.get("spec")).put("address", "198.51.100.300/24");
        assertThat(validator.validate(vip, null).errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.address");
            assertThat(e.reason()).isEqualTo("FieldValueInvalid");
            assertThat(e.body()).isEqualTo("Invalid value: \"string\": address must be an IPv4 address with a prefix length 8-32, "
                    + "e.g. 192.168.10.1/24 (IPv6 is not supported yet)");
        });
    }

    @Test
    void aStringWhereAnIntegerBelongsIsATypeErrorAndBlocksTheCelRules() throws IOException {
        ObjectNode vip = seed();
        ((ObjectNode) vip.get("spec")).put("vhid", "ninety-nine").put("address", "not an address");
        var errors = validator.validate(vip, null).errors();
        assertThat(errors).extracting(FieldError::field).containsExactly("spec.vhid", "<nil>");
        assertThat(errors.get(0).reason()).isEqualTo("FieldValueTypeInvalid");
        assertThat(errors.get(0).body()).isEqualTo("Invalid value: \"string\": spec.vhid in body must be of type integer: \"string\"");
        assertThat(errors.get(1).body()).contains("some validation rules were not checked");
    }

    @Test
    void aProbeKindOutsideTheEnumIsNotSupported() throws IOException {
        ObjectNode vip = seed();
        ((ObjectNode) vip.at("/spec/isolation")).putArray("probes").add("ICMP").add("TCP");
        assertThat(validator.validate(vip, null).errors()).first().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.isolation.probes[1]");
            assertThat(e.reason()).isEqualTo("FieldValueNotSupported");
            assertThat(e.body()).isEqualTo("Unsupported value: \"TCP\": supported values: \"ARP\", \"ICMP\"");
        });
    }

    @Test
    void nineIsolationHostsAreTooMany() throws IOException {
        ObjectNode vip = seed();
        var hosts = ((ObjectNode) vip.at("/spec/isolation")).putArray("hosts");
        for (int i = 1; i <= 9; i++) {
            hosts.add("192.168.10." + i);
        }
        assertThat(validator.validate(vip, null).errors()).anySatisfy(e -> {
            assertThat(e.field()).isEqualTo("spec.isolation.hosts");
            assertThat(e.reason()).isEqualTo("FieldValueTooMany");
            assertThat(e.body()).isEqualTo("Too many: 9: must have at most 8 items");
        });
    }

    @Test
    void boundsLengthsAndRequiredFieldsNameTheField() throws IOException {
        ObjectNode vip = seed();
        ObjectNode spec = (ObjectNode) vip.get("spec");
        spec.put("interface", "enp0s31f6-bond-12");
        ((ObjectNode) spec.get("isolation")).put("holdLimit", 0);
        spec.remove("passwordSecretRef");
        var errors = validator.validate(vip, null).errors();
        assertThat(errors).extracting(FieldError::toString).contains(
                "spec.interface: Too long: may not be more than 15 bytes",
                "spec.isolation.holdLimit: Invalid value: 0: spec.isolation.holdLimit in body should be greater than or equal to 1",
                "spec.passwordSecretRef: Required value");
    }

    @Test
    void duplicatesInASetListAreRefusedNamingTheSecondOne() throws IOException {
        CrdSchemaValidator setList = withSpecSchemaEdit(spec -> {
            ObjectNode preferred = (ObjectNode) spec.get("preferredNodes");
            preferred.put("x-kubernetes-list-type", "set");
            preferred.remove("x-kubernetes-validations");
        });
        ObjectNode vip = seed();
        ((ObjectNode) vip.get("spec")).putArray("preferredNodes").add("node-a").add("node-b").add("node-a");
        assertThat(setList.validate(vip, null).errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.preferredNodes[2]");
            assertThat(e.reason()).isEqualTo("FieldValueDuplicate");
            assertThat(e.body()).isEqualTo("Duplicate value: \"node-a\"");
        });
    }

    @Test
    void anUnknownFieldIsPrunedAndReported() throws IOException {
        ObjectNode vip = seed();
        ((ObjectNode) vip.get("spec")).put("colour", "blue");
        ((ObjectNode) vip.at("/spec/isolation")).put("hostz", "x");
        CrdSchemaValidator.Verdict verdict = validator.validate(vip, null);
        assertThat(verdict.errors()).isEmpty();
        assertThat(verdict.unknownFields()).containsExactlyInAnyOrder("spec.colour", "spec.isolation.hostz");
        assertThat(verdict.object().at("/spec").has("colour")).isFalse();
        assertThat(verdict.object().at("/metadata/name").asText()).isEqualTo("carp99");
    }

    @Test
    void aTransitionRuleComparesWithTheOldValueOnUpdateOnly() throws IOException {
        CrdSchemaValidator immutableVhid = withSpecSchemaEdit(spec -> ((ObjectNode) spec.get("vhid")).putArray("x-kubernetes-validations")
                .addObject().put("rule", "self == oldSelf").put("messageExpression", "'vhid is immutable, was ' + string(oldSelf)"));
        ObjectNode old = seed();
        ObjectNode edited = seed();
        ((ObjectNode) edited.get("spec")).put("vhid", 7);
        assertThat(immutableVhid.validate(edited, null).errors()).as("create: no old value").isEmpty();
        assertThat(immutableVhid.validate(edited, old).errors()).singleElement()
                .satisfies(e -> assertThat(e.toString()).isEqualTo("spec.vhid: Invalid value: \"integer\": vhid is immutable, was 99"));
        assertThat(immutableVhid.validate(old.deepCopy(), old).errors()).isEmpty();
    }

    @Test
    void aStatusWithAFieldOfTheWrongEnumIsRefused() throws IOException {
        ObjectNode vip = seed();
        vip.putObject("status").putObject("nodes").putObject("node-a").put("state", "LEADER");
        assertThat(validator.validate(vip, null).errors()).first().satisfies(e -> {
            assertThat(e.field()).isEqualTo("status.nodes.node-a.state");
            assertThat(e.reason()).isEqualTo("FieldValueNotSupported");
        });
    }

    @Test
    void anUpdateThatLeavesAnInvalidValueAloneIsLetThroughAsRatchetingDoes() throws IOException {
        ObjectNode stored = seed();
        ((ObjectNode) stored.get("spec")).put("address", "198.51.100.30");
        ObjectNode statusWrite = stored.deepCopy();
        statusWrite.putObject("status").put("phase", "Invalid");
        assertThat(validator.validate(statusWrite, stored).errors()).isEmpty();
        ObjectNode specWrite = stored.deepCopy();
        ((ObjectNode) specWrite.get("spec")).put("address", "198.51.100.31");
        assertThat(validator.validate(specWrite, stored).errors()).extracting(FieldError::field).containsExactly("spec.address");
    }

    /** A CRD of its own for what the VirtualIP CRD does not use: map lists, rule field paths and reasons, preserved fields. */
    static final String WIDGET_CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","names":{"kind":"Widget","plural":"widgets"},"scope":"Namespaced",
              "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
               "spec":{"type":"object",
                "x-kubernetes-validations":[{"rule":"self.minReplicas <= self.maxReplicas","fieldPath":".minReplicas",
                                             "reason":"FieldValueForbidden","message":"must not exceed maxReplicas"}],
                "properties":{
                 "minReplicas":{"type":"integer"},"maxReplicas":{"type":"integer"},
                 "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                          "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
                 "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                 "note":{"type":"string","nullable":true}}}}}}}]}}""";

    @Test
    void mapListsRuleFieldPathsReasonsAndPreservedFieldsWorkAsOnARealServer() throws IOException {
        CrdSchemaValidator widgets = CrdSchemaValidator.forCrd(JSON.readTree(WIDGET_CRD));
        ObjectNode widget = (ObjectNode) JSON.readTree("""
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"default"},
                 "spec":{"minReplicas":3,"maxReplicas":2,"note":null,"extra":{"anything":{"goes":1}},
                         "ports":[{"name":"http","port":80},{"name":"http","port":8080}]}}""");

        CrdSchemaValidator.Verdict verdict = widgets.validate(widget, null);

        assertThat(verdict.errors()).extracting(FieldError::toString).containsExactlyInAnyOrder(
                "spec.ports[1]: Duplicate value: {\"name\":\"http\"}",
                "spec.minReplicas: Forbidden: must not exceed maxReplicas");
        assertThat(verdict.unknownFields()).isEmpty();
        assertThat(verdict.object().at("/spec/extra/anything/goes").asInt()).isEqualTo(1);
        assertThat(verdict.object().at("/spec/note").isNull()).as("nullable: null kept").isTrue();
    }
}
