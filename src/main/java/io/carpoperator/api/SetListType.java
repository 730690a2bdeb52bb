package io.carpoperator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Marks the named list properties of a class's schema {@code x-kubernetes-list-type: set}, so the API server rejects
 * duplicates in linear time and at no CEL cost. Fabric8's generator has no annotation for it, and its merge-patch
 * customizer replaces the whole {@code properties} map rather than merging into it. Used only when generating the CRD.
 */
public final class SetListType implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization kubernetesSerialization) {
        for (String name : input.split(",")) {
            JSONSchemaProps property = props.getProperties() == null ? null : props.getProperties().get(name.trim());
            if (property == null || !"array".equals(property.getType())) {
                throw new IllegalArgumentException("'" + name.trim() + "' is not a list property of this schema");
            }
            property.setXKubernetesListType("set");
        }
        return props;
    }
}
