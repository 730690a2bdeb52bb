package io.carpoperator.operator;

import io.carpoperator.api.VirtualIP;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Writes core/v1 Events about VirtualIPs; cluster-scoped objects get their Events in the "default" namespace. */
@ApplicationScoped
public class EventRecorder {
    static final String EVENT_NAMESPACE = "default";
    static final String COMPONENT = "carp-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void record(VirtualIP vip, EventNote note) {
        String name = vip.getMetadata().getName();
        String now = io.carpoperator.api.Timestamps.format(clock.instant());
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(name + "." + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(EVENT_NAMESPACE)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(vip.getApiVersion())
                        .withKind(vip.getKind())
                        .withName(name)
                        .withUid(vip.getMetadata().getUid())
                        .withResourceVersion(vip.getMetadata().getResourceVersion())
                        .build())
                .withType(note.type())
                .withReason(note.reason())
                .withMessage(note.message())
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource(COMPONENT, null)
                .withReportingComponent(COMPONENT)
                .build();
        LOG.infof("VirtualIP %s: %s %s: %s", name, note.type(), note.reason(), note.message());
        try {
            client.v1().events().inNamespace(EVENT_NAMESPACE).resource(event).create();
        } catch (KubernetesClientException e) {
            // An Event is a courtesy; failing to write one must not fail the reconcile.
            LOG.warnf("VirtualIP %s: could not record event %s: %s", name, note.reason(), e.getMessage());
        }
    }
}
