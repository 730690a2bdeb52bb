package io.carpoperator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.VirtualIP;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What kubectl needs from the demo's in-process API server: discovery, short names, tables, apply. */
class DemoApiServerTest {

    /** A VirtualIP of a user's own, as kubectl applies it. */
    static final String WEB_VIP = """
            apiVersion: carp-operator.io/v1alpha1
            kind: VirtualIP
            metadata:
              name: web
            spec:
              address: 198.51.100.20/24
              passwordSecretRef: {name: carp-password, key: password}
            """;

    @TempDir
    Path temp;

    private DemoApiServer api;

    @BeforeEach
    void start() {
        api = DemoApiServer.start(0, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void discoveryListsTheVirtualIPWithItsShortNameAndTheBuiltInsTheDemoUses() throws Exception {
        assertThat(get("/api", "application/json")).contains("\"APIVersions\"").contains("\"v1\"");
        assertThat(get("/apis", "application/json")).contains("\"APIGroupList\"").contains("carp-operator.io/v1alpha1")
                .contains("apps/v1");
        assertThat(get("/apis/carp-operator.io/v1alpha1", "application/json")).contains("\"virtualips\"")
                .contains("\"shortNames\":[\"vip\"]").contains("virtualips/status").contains("\"namespaced\":false");
        assertThat(get("/api/v1", "application/json")).contains("\"nodes\"").contains("\"secrets\"");
    }

    @Test
    void getWithTableAcceptAnswersWithThePrinterColumnsOfTheCrd() throws Exception {
        VirtualIP vip = new VirtualIP();
        vip.getMetadata().setName("carp99");
        vip.setSpec(new io.carpoperator.api.VirtualIPSpec());
        vip.getSpec().address = "198.51.100.10/24";
        vip.getSpec().passwordSecretRef = new io.carpoperator.api.SecretKeyRef("carp-password", "password"); // required by the CRD
        api.client().resource(vip).create();

        String table = get("/apis/carp-operator.io/v1alpha1/virtualips", "application/json;as=Table;v=v1;g=meta.k8s.io");

        assertThat(table).contains("\"kind\":\"Table\"").contains("\"name\":\"Address\"").contains("\"name\":\"Master\"")
                .contains("\"cells\":[\"carp99\",\"198.51.100.10/24\",null,null,null,\"");
        assertThat(get("/apis/carp-operator.io/v1alpha1/virtualips", "application/json")).contains("\"items\"")
                .doesNotContain("\"Table\"");
    }

    @Test
    void aSecretsStringDataIsStoredAsDataLikeARealApiServerDoes() {
        api.client().secrets().inNamespace("carp-system").resource(DemoCluster.samplePasswordSecret()).create();

        var stored = api.client().secrets().inNamespace("carp-system").withName("carp-password").get();

        assertThat(stored.getStringData()).isNullOrEmpty();
        assertThat(new String(java.util.Base64.getDecoder().decode(stored.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("change-me-now");
    }

    @Test
    void ageReadsLikeKubectls() {
        assertThat(ServerSideTable.age(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(ServerSideTable.age(Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(ServerSideTable.age(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(ServerSideTable.age(Duration.ofMinutes(303))).isEqualTo("5h3m");
        assertThat(ServerSideTable.age(Duration.ofHours(52))).isEqualTo("2d4h");
        assertThat(ServerSideTable.age(Duration.ofDays(20))).isEqualTo("20d");
    }

    @Test
    void kubectlGetsAppliesAndPrintsVirtualIPs() throws Exception {
        Optional<Path> kubectl = findKubectl();
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not installed here; discovery is checked over HTTP above");
        Path kubeconfig = api.writeKubeconfig(temp.resolve("kubeconfig"));
        Path manifest = temp.resolve("vip.yaml");
        Files.writeString(manifest, WEB_VIP);

        assertThat(kubectl(kubectl.get(), kubeconfig, "apply", "-f", manifest.toString())).contains("virtualip.carp-operator.io/web created");
        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "vip")).containsPattern("NAME\\s+ADDRESS\\s+VHID\\s+MASTER\\s+PHASE\\s+AGE")
                .containsPattern("web\\s+198\\.51\\.100\\.20/24");
        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "vip", "web", "-o", "yaml")).contains("address: 198.51.100.20/24");
        assertThat(kubectl(kubectl.get(), kubeconfig, "get", "nodes")).containsPattern("No resources found|NAME");

        assertThat(kubectl(kubectl.get(), kubeconfig, "apply", "-k", "deploy/samples/")).contains("secret/carp-password created")
                .contains("virtualip.carp-operator.io/carp99 created");
        assertThat(api.client().secrets().inNamespace("carp-system").withName("carp-password").get().getData()).containsKey("password");
    }

    @Test
    void aVirtualIPTheCrdForbidsIsRefusedWithTheFieldNamed() {
        VirtualIP vip = new VirtualIP();
        vip.getMetadata().setName("web");
        vip.setSpec(new io.carpoperator.api.VirtualIPSpec());
        vip.getSpec().address = "198.51.100.300/24";
        vip.getSpec().passwordSecretRef = new io.carpoperator.api.SecretKeyRef("carp-password", "password");

        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.fabric8.kubernetes.client.KubernetesClientException.class, () -> api.client().resource(vip).create());

        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getStatus().getDetails().getCauses()).singleElement()
                .satisfies(c -> assertThat(c.getField()).isEqualTo("spec.address"));
        assertThat(refused.getStatus().getMessage()).startsWith("VirtualIP.carp-operator.io \"web\" is invalid: spec.address: Invalid value: ");
    }

    @Test
    void kubectlPrintsTheRefusalOfABadManifest() throws Exception {
        Optional<Path> kubectl = findKubectl();
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not installed here; the refusal is checked with a Fabric8 client above");
        Path kubeconfig = api.writeKubeconfig(temp.resolve("kubeconfig"));
        Path manifest = temp.resolve("bad.yaml");
        Files.writeString(manifest, WEB_VIP.replace("198.51.100.20/24", "198.51.100.300/24"));

        String output = kubectlFailing(kubectl.get(), kubeconfig, "apply", "-f", manifest.toString());

        assertThat(output).contains("The VirtualIP \"web\" is invalid: spec.address: Invalid value: \"string\": address must be an IPv4 address");
    }

    private String get(String path, String accept) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.url() + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    static Optional<Path> findKubectl() {
        return List.of("/usr/local/bin/kubectl", "/usr/bin/kubectl").stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    static String kubectlFailing(Path kubectl, Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(), "--request-timeout=10s"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl %s:\n%s", String.join(" ", args), output).isNotZero();
        return output;
    }

    static String kubectl(Path kubectl, Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(), "--request-timeout=10s"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl %s:\n%s", String.join(" ", args), output).isZero();
        return output;
    }
}
