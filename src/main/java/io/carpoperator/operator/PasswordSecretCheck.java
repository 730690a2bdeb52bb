package io.carpoperator.operator;

import io.carpoperator.api.FieldProblem;
import io.carpoperator.api.SecretKeyRef;
import io.carpoperator.api.SpecValidator;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The password Secret exists, has the key, and holds a password ucarp accepts. */
final class PasswordSecretCheck {
    private PasswordSecretCheck() {
    }

    static List<FieldProblem> check(SecretKeyRef ref, String namespace, Optional<Secret> secret) {
        if (secret.isEmpty()) {
            return List.of(new FieldProblem("spec.passwordSecretRef.name", "Secret '" + ref.name + "' not found in namespace " + namespace));
        }
        var data = secret.get().getData();
        String encoded = data == null ? null : data.get(ref.key);
        if (encoded == null) {
            var stringData = secret.get().getStringData();
            if (stringData != null && stringData.containsKey(ref.key)) {
                return SpecValidator.checkPassword("spec.passwordSecretRef.key", stringData.get(ref.key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return List.of(new FieldProblem("spec.passwordSecretRef.key", "Secret '" + ref.name + "' has no key '" + ref.key + "'"));
        }
        byte[] password;
        try {
            password = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return List.of(new FieldProblem("spec.passwordSecretRef.key", "Secret '" + ref.name + "' key '" + ref.key + "' is not valid base64"));
        }
        return SpecValidator.checkPassword("spec.passwordSecretRef.key", password).stream()
                .map(p -> new FieldProblem(p.field(), "Secret '" + ref.name + "' key '" + ref.key + "': " + p.message()))
                .toList();
    }
}
