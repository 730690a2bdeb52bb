package io.carpoperator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/'s ValidatingAdmissionPolicy, evaluated with CEL against the requests it must allow and refuse. */
class AdmissionPolicyTest {
    private static final String AGENT = "system:serviceaccount:carp-agents:carp-agent";
    private static final String NODE_CLAIM = "authentication.kubernetes.io/node-name";
    private static AdmissionPolicy policy;

    @BeforeAll
    static void load() throws Exception {
        policy = AdmissionPolicy.fromYaml(Files.readString(Path.of("deploy/base/agent/admission-policy.yaml")));
    }

    private static AdmissionPolicy.Request agentWrites(String tokenNode, String operation, String group, String resource, String sub,
            String name) {
        Map<String, List<String>> extra = tokenNode == null ? Map.of() : Map.of(NODE_CLAIM, List.of(tokenNode));
        return new AdmissionPolicy.Request(AGENT, extra, group, "v1alpha1", resource, sub, "", name, operation);
    }

    private static AdmissionPolicy.Request report(String tokenNode, String operation, String name) {
        return agentWrites(tokenNode, operation, "carp-operator.io", "nodereports", "", name);
    }

    @Test
    void anAgentMayCreateAndUpdateItsOwnNodesReport() {
        assertThat(policy.denial(report("node-a", "CREATE", "node-a"))).isEmpty();
        assertThat(policy.denial(report("node-a", "UPDATE", "node-a"))).isEmpty();
    }

    @Test
    void anAgentMayNotWriteAnotherNodesReport() {
        for (String operation : List.of("CREATE", "UPDATE", "DELETE")) {
            assertThat(policy.denial(report("node-a", operation, "node-b"))).as(operation)
                    .hasValue("node node-a may write only its own NodeReport, not node-b");
        }
    }

    @Test
    void aTokenWithoutANodeClaimWritesNothing() {
        assertThat(policy.denial(report(null, "UPDATE", "node-a"))).get().asString()
                .contains("the token carries no node name").contains("Kubernetes 1.30");
    }

    @Test
    void aTokenClaimingTwoNodesWritesNeither() {
        var twoClaims = new AdmissionPolicy.Request(AGENT, Map.of(NODE_CLAIM, List.of("node-a", "node-b")), "carp-operator.io", "v1alpha1",
                "nodereports", "", "", "node-a", "UPDATE");
        assertThat(policy.denial(twoClaims)).isPresent();
    }

    @Test
    void anAgentMayWriteNoOtherResource() {
        assertThat(policy.denial(agentWrites("node-a", "UPDATE", "carp-operator.io", "virtualips", "status", "web")))
                .hasValue("carp-agent may write only NodeReports, not virtualips/status");
        assertThat(policy.denial(agentWrites("node-a", "CREATE", "", "configmaps", "", "node-a")))
                .hasValue("carp-agent may write only NodeReports, not configmaps");
    }

    @Test
    void otherUsersAreNotThisPolicysBusiness() {
        var operator = new AdmissionPolicy.Request("system:serviceaccount:carp-system:carp-operator", Map.of(), "carp-operator.io",
                "v1alpha1", "virtualips", "status", "", "web", "UPDATE");
        assertThat(policy.denial(operator)).isEmpty();
    }

    @Test
    void readsAreNeverChecked() {
        assertThat(policy.denial(report("node-a", "GET", "node-b"))).isEmpty();
    }
}
