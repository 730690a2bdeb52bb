package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the operator's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {
    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the Secret, in the operator's namespace.")
    public String name;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Key in the Secret whose value is the CARP password (1-19 bytes).")
    public String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretKeyRef other && java.util.Objects.equals(name, other.name) && java.util.Objects.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, key);
    }

    @Override
    public String toString() {
        return name + "/" + key;
    }
}
