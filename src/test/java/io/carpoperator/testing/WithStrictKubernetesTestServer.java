package io.carpoperator.testing;

import io.quarkus.test.common.QuarkusTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Like Quarkus' {@code @WithKubernetesTestServer(crud = true)}, but the mock API server is as strict as a real one
 * about custom resources ({@link io.carpoperator.apiserver.StrictCrudDispatcher}): Quarkus' own resource hard-codes
 * its dispatcher, so this one starts the Fabric8 mock server itself. A field of type {@code KubernetesMockServer}
 * annotated with {@code @KubernetesTestServer} receives the server.
 */
@QuarkusTestResource(value = StrictKubernetesServerTestResource.class, restrictToAnnotatedClass = true)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WithStrictKubernetesTestServer {
}
