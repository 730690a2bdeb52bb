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
import java.util.Map;

/** Generates the CRDs the way crds/ holds them: Fabric8's generator, printer columns in declaration order. */
public final class CrdFiles {
    public static final Path COMMITTED = committed(VirtualIP.CRD_NAME);
    /** kustomize loads files only below a kustomization, so the base carries a copy, kept equal by DeployManifestsTest. */
    public static final Path DEPLOYED = deployed(VirtualIP.CRD_NAME);
    /** Every CRD this project defines, by name, with its class. */
    public static final Map<String, Class<?>> CRDS = Map.of(VirtualIP.CRD_NAME, VirtualIP.class, NodeReport.CRD_NAME, NodeReport.class);

    public static Path committed(String crdName) {
        return Path.of("crds", crdName + "-v1.yml");
    }

    public static Path deployed(String crdName) {
        return Path.of("deploy", "base", "crd", crdName + "-v1.yml");
    }

    /** Helm installs a chart's CRDs from its own crds/ and reads nothing outside the chart: another copy, kept equal by HelmChartTest. */
    public static Path charted(String crdName) {
        return Path.of("charts", "carp-operator", "crds", crdName + "-v1.yml");
    }

    private CrdFiles() {
    }

    public static String generate() throws IOException {
        return generate(VirtualIP.CRD_NAME);
    }

    @SuppressWarnings("unchecked")
    public static String generate(String crdName) throws IOException {
        Class<?> type = CRDS.get(crdName);
        Path dir = Files.createTempDirectory("crd");
        try {
            new CRDGenerator()
                    .inOutputDir(dir.toFile())
                    .forCRDVersions("v1")
                    .withPostProcessor(new io.fabric8.crdv2.generator.CRDPostProcessor() {
                        @Override
                        public io.fabric8.kubernetes.api.model.HasMetadata process(io.fabric8.kubernetes.api.model.HasMetadata crd,
                                String version) {
                            orderPrinterColumns((CustomResourceDefinition) crd, type);
                            return crd;
                        }
                    })
                    .customResourceClasses((Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>) type)
                    .generate();
            return Files.readString(dir.resolve(crdName + "-v1.yml"));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The generator sorts columns by JSON path; `kubectl get vip` should show them in the order VirtualIP declares. */
    private static void orderPrinterColumns(CustomResourceDefinition crd, Class<?> type) {
        List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
                .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName()))));
    }
}
