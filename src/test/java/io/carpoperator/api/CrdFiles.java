package io.carpoperator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Generates the VirtualIP CRD the way crds/ holds it: Fabric8's generator, printer columns in declaration order. */
public final class CrdFiles {
    public static final Path COMMITTED = Path.of("crds", VirtualIP.CRD_NAME + "-v1.yml");
    /** kustomize loads files only below a kustomization, so the base carries a copy, kept equal by DeployManifestsTest. */
    public static final Path DEPLOYED = Path.of("deploy", "base", "crd", VirtualIP.CRD_NAME + "-v1.yml");

    private CrdFiles() {
    }

    public static String generate() throws IOException {
        Path dir = Files.createTempDirectory("crd");
        try {
            new CRDGenerator()
                    .inOutputDir(dir.toFile())
                    .forCRDVersions("v1")
                    .withPostProcessor(new io.fabric8.crdv2.generator.CRDPostProcessor() {
                        @Override
                        public io.fabric8.kubernetes.api.model.HasMetadata process(io.fabric8.kubernetes.api.model.HasMetadata crd,
                                String version) {
                            orderPrinterColumns((CustomResourceDefinition) crd);
                            return crd;
                        }
                    })
                    .customResourceClasses(VirtualIP.class)
                    .generate();
            return Files.readString(dir.resolve(VirtualIP.CRD_NAME + "-v1.yml"));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The generator sorts columns by JSON path; `kubectl get vip` should show them in the order VirtualIP declares. */
    private static void orderPrinterColumns(CustomResourceDefinition crd) {
        List<String> declared = Arrays.stream(VirtualIP.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
                .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName()))));
    }
}
