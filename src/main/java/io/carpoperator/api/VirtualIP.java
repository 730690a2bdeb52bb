package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A floating IPv4 address that fails over between the selected nodes with CARP (ucarp). */
@Group(VirtualIP.GROUP)
@Version(VirtualIP.VERSION)
@Kind("VirtualIP")
@Plural("virtualips")
@Singular("virtualip")
@ShortNames("vip")
@AdditionalPrinterColumn(name = "Address", jsonPath = ".spec.address", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "VHID", jsonPath = ".status.vhid", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Master", jsonPath = ".status.master", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@JsonIgnoreProperties(ignoreUnknown = true)
public class VirtualIP extends CustomResource<VirtualIPSpec, VirtualIPStatus> {
    public static final String GROUP = "carp-operator.io";
    public static final String VERSION = "v1alpha1";
    public static final String CRD_NAME = "virtualips." + GROUP;

    /** Read and written through {@link TolerantJson}: no stored spec can fail the informer everyone shares. */
    @Override
    @JsonSerialize(using = TolerantJson.SpecWriter.class)
    public VirtualIPSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonDeserialize(using = TolerantJson.SpecReader.class)
    public void setSpec(VirtualIPSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonSerialize(using = TolerantJson.StatusWriter.class)
    public VirtualIPStatus getStatus() {
        return super.getStatus();
    }

    @Override
    @JsonDeserialize(using = TolerantJson.StatusReader.class)
    public void setStatus(VirtualIPStatus status) {
        super.setStatus(status);
    }

    @Override
    protected VirtualIPSpec initSpec() {
        return new VirtualIPSpec();
    }

    @Override
    protected VirtualIPStatus initStatus() {
        return new VirtualIPStatus();
    }
}
