package io.carpoperator.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * deploy/ as objects: every resource its kustomizations list, parsed as written (before kustomize's label and image
 * transforms, which {@link #imageTag} and {@link #commonLabels} read out of the base for whoever compares).
 */
final class DeployManifests {
    static final Path DEPLOY = Path.of("deploy");
    static final Path BASE = DEPLOY.resolve("base");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private DeployManifests() {
    }

    @SuppressWarnings("unchecked")
    static List<HasMetadata> render(Path dir) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (String resource : (List<String>) kustomization(dir).get("resources")) {
            if (Files.isDirectory(dir.resolve(resource))) {
                objects.addAll(render(dir.resolve(resource)));
            } else {
                objects.addAll(parse(Files.readString(dir.resolve(resource))));
            }
        }
        return objects;
    }

    /** One or more YAML documents, as Fabric8 types where it has them (generic resources otherwise). */
    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof KubernetesList list) {
            objects.addAll(list.getItems());
        } else if (parsed instanceof List<?> list) {
            list.stream().filter(o -> o != null).forEach(o -> objects.add((HasMetadata) o));
        } else if (parsed != null) {
            objects.add((HasMetadata) parsed);
        }
        return objects;
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** The tag `images:` in deploy/base gives the image named {@code carp-operator}. */
    @SuppressWarnings("unchecked")
    static String imageTag() throws IOException {
        return ((List<Map<String, String>>) kustomization(BASE).get("images")).stream()
                .filter(i -> "carp-operator".equals(i.get("name"))).map(i -> i.get("newTag")).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/base/kustomization.yaml sets no tag for the image carp-operator"));
    }

    /** The labels `labels:` in deploy/base puts on every object's metadata. */
    @SuppressWarnings("unchecked")
    static Map<String, String> commonLabels() throws IOException {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) kustomization(BASE).get("labels")) {
            labels.putAll((Map<String, String>) entry.get("pairs"));
        }
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kustomization(Path dir) throws IOException {
        return SERIALIZATION.unmarshal(Files.readString(dir.resolve("kustomization.yaml")), Map.class);
    }
}
