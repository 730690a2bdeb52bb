package io.carpoperator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One node's report on every VirtualIP it runs, named after the node and written only by that node's agent (an
 * admission policy enforces it, as the kubelet's Lease is guarded): one write per node per refresh, whatever the
 * number of VIPs. The operator reads these and writes each VirtualIP's status; agents never write a VirtualIP.
 */
@Group(VirtualIP.GROUP)
@Version(VirtualIP.VERSION)
@Kind("NodeReport")
@Plural("nodereports")
@Singular("nodereport")
@ShortNames("carpnode")
@AdditionalPrinterColumn(name = "Last Update", jsonPath = ".spec.lastUpdate", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NodeReport extends CustomResource<NodeReportSpec, Void> {
    public static final String CRD_NAME = "nodereports." + VirtualIP.GROUP;

    @Override
    protected NodeReportSpec initSpec() {
        return new NodeReportSpec();
    }
}
