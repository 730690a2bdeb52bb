package io.carpoperator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.carpoperator.api.ConditionReasons;
import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.CrdFiles;
import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.SpecValidator;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.apiserver.CrdSchemaValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hack/kind-e2e.sh cannot run here (no container engine), but its pure parts can: the functions of
 * hack/lib/kind-e2e-lib.sh, run by bash as the script runs them, and the script's own handling of --help, bad arguments
 * and missing tools, which all happen before it touches Docker.
 */
class KindE2eScriptTest {
    static final Path SCRIPT = Path.of("hack/kind-e2e.sh");
    static final Path LIBRARY = Path.of("hack/lib/kind-e2e-lib.sh");
    static String bash;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void findBash() {
        bash = onPath("bash");
        Assumptions.assumeTrue(bash != null, "bash is not installed here; hack/kind-e2e.sh needs it");
    }

    /** One bash that sources the library, then runs {@code commands}. */
    static Run library(String commands) throws Exception {
        return run(Map.of(), bash, "-c", "set -euo pipefail; source " + LIBRARY + "; " + commands);
    }

    static Run run(Map<String, String> environment, String... argv) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        // both streams are small; read stderr on another thread so neither pipe can fill up
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try {
                err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        reader.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("bash finished").isTrue();
        return new Run(process.exitValue(), out, err.get(30, TimeUnit.SECONDS));
    }

    static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    // ---- the VIP's address ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "172.18.0.0/16, 172.18.255.254",
            "172.18.0.0/24, 172.18.0.254",
            "192.168.100.48/28, 192.168.100.62",
            "10.0.0.0/20, 10.0.15.254",
            "172.20.0.0/23, 172.20.1.254",
            "192.168.1.128/25, 192.168.1.254",
            "192.168.1.0/25, 192.168.1.126",
            "172.16.0.0/12, 172.31.255.254",
            "10.0.0.0/8, 10.255.255.254",
            "10.1.2.4/30, 10.1.2.6",
            // host bits set, as a hand-made network may print it
            "172.18.5.7/16, 172.18.255.254",
    })
    void choosesTheHighestHostAddressOfTheSubnet(String subnet, String expected) throws Exception {
        Run run = library("choose_vip " + subnet);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(expected + "\n");
    }

    static Stream<String> everyPrefixTheCrdAllows() {
        List<String> subnets = new ArrayList<>();
        for (String base : List.of("172.18.0.0", "10.89.3.77", "192.168.255.255", "100.64.128.1")) {
            IntStream.rangeClosed(Ipv4Cidr.MIN_PREFIX, 30).forEach(prefix -> subnets.add(base + "/" + prefix));
        }
        return subnets.stream();
    }

    @ParameterizedTest
    @MethodSource("everyPrefixTheCrdAllows")
    void theChosenVipLiesInsideTheSubnetAndIsNeitherItsNetworkNorItsBroadcastAddress(String subnet) throws Exception {
        Ipv4Cidr network = Ipv4Cidr.parse(subnet);
        Run run = library("choose_vip " + subnet);
        assertThat(run.exit()).as(run.err()).isZero();
        String vip = run.out().strip();
        assertThat(vip).isEqualTo(Ipv4Cidr.format(network.broadcast() - 1));
        Ipv4Cidr asApplied = Ipv4Cidr.parse(vip + "/" + network.prefixLength());
        assertThat(network.contains(asApplied.address())).isTrue();
        assertThat(asApplied.isNetworkAddress()).isFalse();
        assertThat(asApplied.isBroadcastAddress()).isFalse();
    }

    @Test
    void skipsAddressesInUseGivenWithOrWithoutTheirPrefix() throws Exception {
        Run run = library("choose_vip 172.18.0.0/16 172.18.0.1 172.18.255.254/16 172.18.255.253");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("172.18.255.252\n");
    }

    @Test
    void candidatesGoDownFromTheTopAndStopAtTheNetworkAddress() throws Exception {
        assertThat(library("vip_candidates 10.0.0.0/8 3").out()).isEqualTo("10.255.255.254\n10.255.255.253\n10.255.255.252\n");
        assertThat(library("vip_candidates 192.168.100.48/29").out())
                .isEqualTo("192.168.100.54\n192.168.100.53\n192.168.100.52\n192.168.100.51\n192.168.100.50\n192.168.100.49\n");
    }

    @Test
    void refusesClearlyWhenNoAddressNearTheTopIsFree() throws Exception {
        Run run = library("choose_vip 10.1.2.4/30 10.1.2.5 10.1.2.6");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("subnet 10.1.2.4/30: no free address for the VIP among its top 2 (10.1.2.6..10.1.2.5)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.1.2.4/31 | a /31 has no address to spare",
            "10.1.2.4/32 | a /32 has no address to spare",
            "10.0.0.0/7 | a VirtualIP's prefix must be 8-32",
            "fc00:f853:ccd:e793::/64 | not an IPv4 subnet",
            "300.1.1.0/24 | not an IPv4 subnet",
            "172.18.0.0 | not an IPv4 subnet",
            "172.18.0.0/33 | not an IPv4 subnet",
    })
    void refusesSubnetsWithoutRoomForAVipWithTheReason(String subnet, String reason) throws Exception {
        Run run = library("choose_vip " + subnet);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(reason);
    }

    @Test
    void findsTheIpv4SubnetAmongDockersAndSaysNothingWhenThereIsNone() throws Exception {
        assertThat(library("first_ipv4_subnet 'fc00:f853:ccd:e793::/64 172.18.0.0/16 '").out()).isEqualTo("172.18.0.0/16\n");
        assertThat(library("first_ipv4_subnet $'172.19.0.0/16\\n'").out()).isEqualTo("172.19.0.0/16\n");
        Run none = library("first_ipv4_subnet 'fc00:f853:ccd:e793::/64 ' || echo \"none: $?\"");
        assertThat(none.out()).isEqualTo("none: 1\n");
        assertThat(none.err()).isEmpty();
    }

    // ---- the image, the probes, the cluster ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "[[driver-type io.containerd.snapshotter.v1]] | archive",
            "[[Backing Filesystem extfs] [Supports d_type true] [Using metacopy false] [Native Overlay Diff true] [userxattr false]] | docker-image",
            "[[Backing Filesystem xfs] [Supports d_type true]] | docker-image",
            "'' | docker-image",
    })
    void loadsAnArchiveUnderDockersContainerdImageStoreAndTheDockerImageOtherwise(String driverStatus, String method)
            throws Exception {
        Run run = library("image_load_method '" + driverStatus.replace("'", "") + "'");
        assertThat(run.out()).isEqualTo(method + "\n");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "0 | Unicast reply from 172.18.255.254 [02:42:AC:12:00:05]  0.712ms\\nSent 1 probes (1 broadcast(s))\\nReceived 1 response(s)",
            "1 | Sent 2 probes (2 broadcast(s))\\nReceived 0 response(s)",
            "2 | arping: socket: Operation not permitted",
            "2 | error: unable to upgrade connection: container not found",
    })
    void readsArpingsDuplicateAddressAnswer(int expected, String output) throws Exception {
        Run run = library("arping_found_owner $'" + output + "' || echo $?");
        assertThat(run.out()).isEqualTo(expected == 0 ? "" : expected + "\n");
    }

    @Test
    void readsTheInterfaceOfARoute() throws Exception {
        assertThat(library("route_interface '172.18.255.254 dev eth0 src 172.18.0.3 uid 0'").out()).isEqualTo("eth0\n");
        assertThat(library("route_interface 'RTNETLINK answers: Network is unreachable' || echo none").out()).isEqualTo("none\n");
    }

    @Test
    void theClusterHasOneControlPlaneNodeAndThreeWorkers() throws Exception {
        JsonNode config = new YAMLMapper().readTree(library("kind_config").out());
        assertThat(config.path("apiVersion").asText()).isEqualTo("kind.x-k8s.io/v1alpha4");
        assertThat(config.path("nodes").findValuesAsText("role")).containsExactly("control-plane", "worker", "worker", "worker");
    }

    @Test
    void theVirtualIpTheScriptAppliesPassesTheCrdAndTheOperatorAndLeavesTheControlPlaneOut() throws Exception {
        String manifest = library("vip_manifest e2e 172.18.255.254/16 carp-e2e-worker carp-e2e-worker2 carp-e2e-worker3").out();
        ObjectNode object = (ObjectNode) new YAMLMapper().readTree(manifest);

        JsonNode crd = new YAMLMapper().readTree(Files.readString(CrdFiles.committed(VirtualIP.CRD_NAME)));
        CrdSchemaValidator.Verdict verdict = CrdSchemaValidator.forCrd(crd).validate(object, null);
        assertThat(verdict.errors()).isEmpty();
        assertThat(verdict.unknownFields()).isEmpty();

        VirtualIP vip = new KubernetesSerialization().unmarshal(manifest, VirtualIP.class);
        assertThat(SpecValidator.validate(vip.getSpec())).isEmpty();
        assertThat(vip.getSpec().preferredNodes).containsExactly("carp-e2e-worker", "carp-e2e-worker2", "carp-e2e-worker3");
        assertThat(vip.getSpec().nodeSelector.getMatchExpressions()).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo("node-role.kubernetes.io/control-plane");
            assertThat(e.getOperator()).isEqualTo("DoesNotExist");
        });
        assertThat(vip.getSpec().preempt).isTrue();
    }

    @Test
    void theScriptWaitsForTheOperatorsOwnReasonsAndStates() throws IOException {
        String script = Files.readString(SCRIPT);
        assertThat(script)
                .contains("condition_says " + ConditionTypes.READY + " " + ConditionReasons.MASTER_ELECTED + " ")
                .contains("condition_says " + ConditionTypes.DEGRADED + " " + ConditionReasons.STALE_NODES + " ")
                .contains("entry_says \"$FIRST\" " + NodeState.INIT.name() + " ");
    }

    // ---- arguments --------------------------------------------------------------------------------------------------

    @Test
    void argumentsSetTheRunsOptionsAndTheEnvironmentGivesTheDefaults() throws Exception {
        String show = "; echo \"$E2E_HELP $E2E_KEEP $E2E_CLUSTER $E2E_TIMEOUT [$E2E_LOGS]\"";
        assertThat(library("parse_args" + show).out()).isEqualTo("0 0 carp-e2e 180 []\n");
        assertThat(library("parse_args --keep --name e2e-2 --timeout 300 --logs /tmp/x" + show).out())
                .isEqualTo("0 1 e2e-2 300 [/tmp/x]\n");
        assertThat(library("parse_args --name=e2e.3 --timeout=60" + show).out()).isEqualTo("0 0 e2e.3 60 []\n");
        assertThat(library("CLUSTER=from-env TIMEOUT=90 parse_args" + show).out()).isEqualTo("0 0 from-env 90 []\n");
        assertThat(library("parse_args --nonsense --help" + show).exit()).isEqualTo(2);
        assertThat(library("parse_args --help --nonsense" + show).out()).startsWith("1 ");
    }

    @Test
    void theScriptPrintsItsHelpWithoutDocker() throws Exception {
        for (String flag : List.of("--help", "-h")) {
            Run run = run(Map.of(), bash, SCRIPT.toString(), flag);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("usage: hack/kind-e2e.sh [--keep]").contains("--keep", "--name CLUSTER",
                    "--timeout SECONDS", "--logs DIR", "docker stop", "docker kill", "docker network disconnect");
            assertThat(run.err()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--bogus | kind-e2e.sh: unknown argument '--bogus' (see --help)",
            "--timeout | kind-e2e.sh: --timeout needs a value (see --help)",
            "--timeout=soon | kind-e2e.sh: --timeout: expected a whole number of seconds from 1 to 99999, got 'soon'",
            "--name=Carp_E2E | kind-e2e.sh: --name: expected lower-case letters, digits, '.' or '-' (Kind's rule), got 'Carp_E2E'",
            "extra | kind-e2e.sh: unknown argument 'extra' (see --help)",
    })
    void aBadArgumentExitsWithTwoAndOneLineNamingIt(String argument, String message) throws Exception {
        Run run = run(Map.of(), bash, SCRIPT.toString(), argument);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(message + "\n");
    }

    @Test
    void withoutDockerKindAndKubectlTheScriptRefusesBeforeDoingAnything(@TempDir Path emptyPath) throws Exception {
        // a PATH without the tools: this also keeps the test from ever creating a cluster where they are installed
        Run run = run(Map.of("PATH", emptyPath.toString()), bash, SCRIPT.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("kind-e2e.sh: not installed: docker kind kubectl (this script needs docker, kind and"
                + " kubectl; see --help)\n");
    }

    @Test
    void bashParsesTheScriptAndItsLibrary() throws Exception {
        for (Path file : List.of(SCRIPT, LIBRARY)) {
            Run run = run(Map.of(), bash, "-n", file.toString());
            assertThat(run.exit()).as(file + ": " + run.err()).isZero();
        }
    }

    @Test
    void shellcheckFindsNothingWhereItIsInstalled() throws Exception {
        String shellcheck = onPath("shellcheck");
        Assumptions.assumeTrue(shellcheck != null, "shellcheck is not installed here; bash -n above still parses both files");
        Run run = run(Map.of(), shellcheck, "-x", SCRIPT.toString(), LIBRARY.toString());
        assertThat(run.exit()).as(run.out()).isZero();
    }
}
