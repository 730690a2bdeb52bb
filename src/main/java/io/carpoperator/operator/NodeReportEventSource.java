package io.carpoperator.operator;

import io.carpoperator.api.NodeReport;
import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Clock;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Watches the agents' NodeReports, records each in the {@link NodeReportLedger} with the operator's receive time, and
 * triggers a reconcile only of the VirtualIPs whose entry changed: a refresh that changes nothing costs no reconcile
 * and no write (staleness is noticed by the periodic resync). A report the model cannot read is skipped with one log
 * line per version; it never stops the watch.
 */
final class NodeReportEventSource extends AbstractEventSource<NodeReport, VirtualIP> implements ResourceEventHandler<NodeReport> {
    static final String NAME = "nodereports";
    private static final Logger LOG = Logger.getLogger(NodeReportEventSource.class);

    private final KubernetesClient client;
    private final NodeReportLedger ledger;
    private final Clock clock;
    private SharedIndexInformer<NodeReport> informer;

    NodeReportEventSource(KubernetesClient client, NodeReportLedger ledger, Clock clock) {
        super(NodeReport.class, NAME);
        this.client = client;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void start() throws OperatorException {
        informer = client.resources(NodeReport.class).runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.warnf("watching NodeReports failed (%s); retrying", error.getMessage());
            return true;
        });
        informer.addEventHandler(this);
        super.start(); // running before the first event, so the initial list triggers reconciles too
        informer.start();
    }

    @Override
    public void stop() throws OperatorException {
        if (informer != null) {
            informer.stop();
        }
        super.stop();
    }

    @Override
    public Set<NodeReport> getSecondaryResources(VirtualIP primary) {
        return Set.of();
    }

    @Override
    public void onAdd(NodeReport report) {
        received(report);
    }

    @Override
    public void onUpdate(NodeReport before, NodeReport after) {
        received(after);
    }

    @Override
    public void onDelete(NodeReport report, boolean finalStateUnknown) {
        trigger(ledger.forget(report.getMetadata().getName()));
    }

    private void received(NodeReport report) {
        String node = report.getMetadata().getName();
        boolean initial = informer == null || !informer.hasSynced();
        trigger(ledger.record(node, report.getSpec() == null ? null : report.getSpec().vips, clock.instant(), initial));
    }

    private void trigger(Set<String> vips) {
        if (!isRunning()) {
            return;
        }
        vips.forEach(vip -> getEventHandler().handleEvent(new Event(new ResourceID(vip))));
    }
}
