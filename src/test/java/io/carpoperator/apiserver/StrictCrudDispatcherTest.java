package io.carpoperator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Fabric8 client against the strict mock server gets what it would get from a real one. */
class StrictCrudDispatcherTest {
    static final ResourceDefinitionContext VIPS = new ResourceDefinitionContext.Builder().withGroup("carp-operator.io").withVersion("v1alpha1")
            .withPlural("virtualips").withKind("VirtualIP").withNamespaced(false).build();
    static final String WEB = """
            {"apiVersion":"carp-operator.io/v1alpha1","kind":"VirtualIP","metadata":{"name":"web"},
             "spec":{"address":"%s","passwordSecretRef":{"name":"carp-password","key":"password"}%s}}""";

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new StrictCrudDispatcher(true), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        try (InputStream crd = getClass().getResourceAsStream("/crds/virtualips.carp-operator.io-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions().resource(Serialization.unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private GenericKubernetesResource web(String address, String more) {
        return Serialization.unmarshal(WEB.formatted(address, more), GenericKubernetesResource.class);
    }

    @Test
    void aCreateTheCelRuleForbidsIsRefusedWith422NamingTheField() {
        var refused = catchThrowableOfType(KubernetesClientException.class,
                () -> client.genericKubernetesResources(VIPS).resource(web("198.51.100.300/24", "")).create());

        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(refused.getStatus().getDetails().getKind()).isEqualTo("VirtualIP");
        assertThat(refused.getStatus().getDetails().getGroup()).isEqualTo("carp-operator.io");
        assertThat(refused.getStatus().getDetails().getCauses()).singleElement().satisfies(cause -> {
            assertThat(cause.getField()).isEqualTo("spec.address");
            assertThat(cause.getReason()).isEqualTo("FieldValueInvalid");
        });
        assertThat(refused.getStatus().getMessage()).isEqualTo("VirtualIP.carp-operator.io \"web\" is invalid: spec.address: Invalid value: "
                + "\"string\": address must be an IPv4 address with a prefix length 8-32, e.g. 192.168.10.1/24 (IPv6 is not supported yet)");
        assertThat(client.genericKubernetesResources(VIPS).withName("web").get()).as("nothing stored").isNull();
    }

    @Test
    void aStatusPatchWithAValueOutsideTheEnumIsRefusedAndTheStoredStatusKept() {
        client.genericKubernetesResources(VIPS).resource(web("198.51.100.10/24", "")).create();
        client.genericKubernetesResources(VIPS).withName("web").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Ready\"}}");

        var refused = catchThrowableOfType(KubernetesClientException.class, () -> client.genericKubernetesResources(VIPS).withName("web")
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Happy\"}}"));

        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getStatus().getDetails().getCauses()).extracting(StatusCause::getField).contains("status.phase");
        assertThat(refused.getStatus().getDetails().getCauses()).first().satisfies(c -> assertThat(c.getMessage())
                .isEqualTo("Unsupported value: \"Happy\": supported values: \"Degraded\", \"Invalid\", \"Pending\", \"Ready\", \"SplitBrain\""));
        assertThat(client.genericKubernetesResources(VIPS).withName("web").get().get("status", "phase").toString()).isEqualTo("Ready");
    }

    @Test
    void aJsonPatchAndAnUpdateAreValidatedOnTheResultingObject() {
        client.genericKubernetesResources(VIPS).resource(web("198.51.100.10/24", "")).create();

        var patched = catchThrowableOfType(KubernetesClientException.class, () -> client.genericKubernetesResources(VIPS).withName("web")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/spec/vhid\",\"value\":256}]"));
        assertThat(patched.getCode()).isEqualTo(422);
        assertThat(patched.getStatus().getMessage()).endsWith("spec.vhid: Invalid value: 256: spec.vhid in body should be less than or equal to 255");

        GenericKubernetesResource edited = client.genericKubernetesResources(VIPS).withName("web").get();
        edited.setAdditionalProperty("spec", web("198.51.100.10/24", ",\"interface\":\"eth0 1\"").get("spec"));
        var updated = catchThrowableOfType(KubernetesClientException.class, () -> client.genericKubernetesResources(VIPS).resource(edited).update());
        assertThat(updated.getCode()).isEqualTo(422);
        assertThat(updated.getStatus().getDetails().getCauses()).extracting(StatusCause::getField).containsExactly("spec.interface");
    }

    @Test
    void unknownFieldsArePrunedWithAWarningUnlessTheRequestAsksForStrictValidation() throws Exception {
        var created = client.genericKubernetesResources(VIPS).resource(web("198.51.100.10/24", ",\"colour\":\"blue\"")).create();
        assertThat(created.<java.util.Map<String, Object>>get("spec")).doesNotContainKey("colour");
        assertThat(client.genericKubernetesResources(VIPS).withName("web").get().<java.util.Map<String, Object>>get("spec"))
                .doesNotContainKey("colour");

        HttpResponse<String> strict = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url("/apis/carp-operator.io/v1alpha1/virtualips?fieldValidation=Strict")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(WEB.formatted("198.51.100.11/24", ",\"colour\":\"blue\"").replace("\"web\"", "\"db\"")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(strict.statusCode()).isEqualTo(400);
        assertThat(strict.body()).contains("\"reason\":\"BadRequest\"")
                .contains("VirtualIP in version \\\"v1alpha1\\\" cannot be handled as a VirtualIP: strict decoding error: unknown field \\\"spec.colour\\\"");

        HttpResponse<String> warned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url("/apis/carp-operator.io/v1alpha1/virtualips")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(WEB.formatted("198.51.100.11/24", ",\"colour\":\"blue\"").replace("\"web\"", "\"db\"")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(warned.statusCode()).isEqualTo(201);
        assertThat(warned.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"spec.colour\\\"\"");
    }

    @Test
    void theTestsEscapeHatchStoresAnObjectTheCrdForbids() {
        var config = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                .withCustomHeaders(java.util.Map.of(StrictCrudDispatcher.UNVALIDATED_HEADER, "true")).build();
        try (KubernetesClient unvalidated = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
            unvalidated.genericKubernetesResources(VIPS).resource(web("198.51.100.30", "")).create();
        }
        assertThat(client.genericKubernetesResources(VIPS).withName("web").get()).isNotNull();
        client.genericKubernetesResources(VIPS).withName("web").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Invalid\"}}");
        assertThat(client.genericKubernetesResources(VIPS).withName("web").get().get("status", "phase").toString())
                .as("a status write leaves the invalid spec alone, so ratcheting lets it through").isEqualTo("Invalid");
    }

    @Test
    void removingTheLastFinalizerOfADeletedObjectAnswersWithTheObjectAsARealApiServerDoes() {
        var resources = client.genericKubernetesResources(VIPS);
        GenericKubernetesResource vip = web("198.51.100.10/24", "");
        vip.getMetadata().setFinalizers(java.util.List.of("virtualips.carp-operator.io/finalizer"));
        resources.resource(vip).create();
        resources.withName("web").delete();
        assertThat(resources.withName("web").get().getMetadata().getDeletionTimestamp()).as("held by its finalizer").isNotNull();

        // what JOSDK's removeFinalizer sends; the bare mock answered with an empty body and JOSDK failed on the null
        // (java-operator-sdk#3331)
        GenericKubernetesResource after = resources.withName("web").edit(r -> {
            r.getMetadata().setFinalizers(java.util.List.of());
            return r;
        });

        assertThat(after).isNotNull();
        assertThat(after.getMetadata().getName()).isEqualTo("web");
        assertThat(after.getMetadata().getFinalizers()).isEmpty();
        assertThat(resources.withName("web").get()).as("gone once its last finalizer is").isNull();
    }
}
