package io.carpoperator.operator;

import io.carpoperator.api.ConditionReasons;
import io.carpoperator.api.FieldProblem;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SpecValidator;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.UnreadValue;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles one VirtualIP: validate → decide the VHID → resolve the agents' configuration → publish it to the agents'
 * namespace → aggregate the nodes' reports into master, phase, conditions and the per-node view → Events on
 * transitions. Node reports must trigger it too, hence no generation-aware filtering.
 */
@ControllerConfiguration(name = VirtualIPReconciler.NAME, generationAwareEventProcessing = false)
public class VirtualIPReconciler implements Reconciler<VirtualIP>, Cleaner<VirtualIP> {
    static final String NAME = "virtualip";
    static final String NODES_SOURCE = "nodes";
    static final String SECRETS_SOURCE = "secrets";
    private static final Logger LOG = Logger.getLogger(VirtualIPReconciler.class);

    private final OperatorSettings settings;
    private final KubernetesClient client;
    private final NodeReportLedger ledger = new NodeReportLedger();
    private final AgentConfigPublisher publisher;
    private final VhidRegistry vhids;
    private final StatusWriter statusWriter;
    private final EventRecorder events;
    private final Clock clock;
    private final StatusAggregator aggregator;

    public VirtualIPReconciler(OperatorSettings settings, KubernetesClient client, VhidRegistry vhids,
            StatusWriter statusWriter, EventRecorder events, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.publisher = new AgentConfigPublisher(client, settings.agent().namespace(), clock);
        this.vhids = vhids;
        this.statusWriter = statusWriter;
        this.events = events;
        this.clock = clock;
        this.aggregator = new StatusAggregator(settings.status().staleness());
    }

    @Override
    public List<EventSource<?, VirtualIP>> prepareEventSources(EventSourceContext<VirtualIP> context) {
        // Node labels decide who takes part and the InternalIP is the heartbeat target: only a change of either (not the
        // kubelet's periodic status updates) re-examines every VirtualIP.
        var nodes = InformerEventSourceConfiguration.from(Node.class, VirtualIP.class)
                .withName(NODES_SOURCE)
                .withOnUpdateFilter((after, before) -> !Objects.equals(after.getMetadata().getLabels(), before.getMetadata().getLabels())
                        || !Objects.equals(AgentConfigPublisher.internalIp(after), AgentConfigPublisher.internalIp(before)))
                .withSecondaryToPrimaryMapper(node -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        // A password Secret that appears, changes or goes away re-validates the VirtualIPs that name it.
        var secrets = InformerEventSourceConfiguration.from(Secret.class, VirtualIP.class)
                .withName(SECRETS_SOURCE)
                .withNamespaces(Set.of(settings.namespace()))
                .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache().list()
                        .filter(vip -> vip.getSpec() != null && vip.getSpec().passwordSecretRef != null
                                && secret.getMetadata().getName().equals(vip.getSpec().passwordSecretRef.name))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        return List.of(new InformerEventSource<>(nodes, context), new InformerEventSource<>(secrets, context),
                new NodeReportEventSource(client, ledger, clock));
    }

    @Override
    public UpdateControl<VirtualIP> reconcile(VirtualIP vip, Context<VirtualIP> context) {
        String name = vip.getMetadata().getName();
        VirtualIPStatus previous = vip.getStatus();
        Integer vhid = previous == null ? null : previous.vhid;
        String vhidConflict = null;

        logIgnoredFields(vip, previous);
        List<FieldProblem> problems = new ArrayList<>(SpecValidator.validate(vip.getSpec()));
        if (problems.isEmpty()) {
            NodeSelection.problem(vip.getSpec().nodeSelector)
                    .ifPresent(p -> problems.add(new FieldProblem("spec.nodeSelector", p)));
        }
        if (problems.isEmpty()) {
            var all = context.getPrimaryCache().list().toList();
            VhidAllocator.Decision decision = vhids.decide(vip, all, nodes(context));
            if (decision instanceof VhidAllocator.Allocated allocated) {
                vhid = allocated.vhid();
            } else if (decision instanceof VhidAllocator.Contested contested) {
                vhid = contested.vhid();
                vhidConflict = contested.message();
            } else if (decision instanceof VhidAllocator.Rejected rejected) {
                problems.add(rejected.problem());
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(PasswordSecretCheck.check(vip.getSpec().passwordSecretRef, settings.namespace(), secret(context, vip)));
        }

        ResolvedConfig resolved = previous == null ? null : previous.resolved;
        if (problems.isEmpty()) {
            List<String> selected = NodeSelection.selectedNodeNames(vip.getSpec().nodeSelector, nodes(context));
            ResolvedConfig fresh = ConfigResolver.resolve(vip, vhid, selected);
            if (!fresh.sameRuntime(resolved)) {
                resolved = fresh;
            }
        } else {
            LOG.debugf("VirtualIP %s is invalid: %s", name, problems);
        }

        if (resolved != null) {
            Map<String, Node> nodesByName = nodes(context).stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a));
            String password = problems.isEmpty() ? encodedPassword(vip, context) : null; // invalid: the last copy stays
            publisher.publish(vip, AgentConfigPublisher.config(name, resolved, ledger, nodesByName), password);
        }

        Instant now = clock.instant();
        StatusAggregate aggregate = aggregator.aggregate(previous, vip.getMetadata().getGeneration(), problems, resolved, vhid,
                vhidConflict, ledger.entriesFor(name), now);
        List<EventNote> notes = StatusTransitions.between(previous, aggregate);
        if (statusWriter.writeIfChanged(vip, aggregate)) {
            LOG.debugf("VirtualIP %s: phase %s, master '%s'", name, aggregate.phase(), aggregate.master());
            notes.forEach(note -> events.record(vip, note));
        }
        return UpdateControl.<VirtualIP>noUpdate().rescheduleAfter(settings.status().resync().toMillis());
    }

    @Override
    public DeleteControl cleanup(VirtualIP vip, Context<VirtualIP> context) {
        String name = vip.getMetadata().getName();
        String address = vip.getSpec() == null ? "the address" : vip.getSpec().address;
        publisher.withdraw(vip);
        List<String> holders = ledger.entriesFor(name).entrySet().stream()
                .filter(e -> e.getValue().status().state == NodeState.MASTER)
                .map(Map.Entry::getKey).sorted().toList();
        Instant deleted = Timestamps.parse(vip.getMetadata().getDeletionTimestamp()).orElse(clock.instant());
        Instant deadline = deleted.plus(settings.deletion().releaseTimeout());
        if (!holders.isEmpty()) {
            if (clock.instant().isBefore(deadline)) {
                LOG.infof("VirtualIP %s is being deleted; waiting for %s to release %s", name, holders, address);
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
            }
            events.record(vip, EventNote.warning(ConditionReasons.RELEASE_TIMEOUT, String.join(", ", holders)
                    + " did not confirm releasing " + address + " within "
                    + settings.deletion().releaseTimeout().toSeconds() + "s; deleting anyway"));
        } else {
            events.record(vip, EventNote.normal(ConditionReasons.ADDRESS_RELEASED, "no node holds " + address + " any more"));
        }
        vhids.forget(name);
        return DeleteControl.defaultDelete();
    }

    private String encodedPassword(VirtualIP vip, Context<VirtualIP> context) {
        return secret(context, vip).map(Secret::getData).map(data -> data.get(vip.getSpec().passwordSecretRef.key)).orElse(null);
    }

    /** Fields of a newer version are ignored, not silently: said once per generation. */
    private static void logIgnoredFields(VirtualIP vip, VirtualIPStatus previous) {
        if (vip.getSpec() == null || vip.getSpec().unread == null
                || (previous != null && Objects.equals(previous.observedGeneration, vip.getMetadata().getGeneration()))) {
            return;
        }
        String ignored = vip.getSpec().unread.stream().filter(UnreadValue::unknownField).map(UnreadValue::field)
                .collect(Collectors.joining(", "));
        if (!ignored.isEmpty()) {
            LOG.infof("VirtualIP %s: ignoring fields this operator version does not know: %s", vip.getMetadata().getName(), ignored);
        }
    }

    private List<Node> nodes(Context<VirtualIP> context) {
        var source = (InformerEventSource<Node, VirtualIP>) context.eventSourceRetriever()
                .getEventSourceFor(Node.class, NODES_SOURCE);
        return source.list().toList();
    }

    private java.util.Optional<Secret> secret(Context<VirtualIP> context, VirtualIP vip) {
        var source = (InformerEventSource<Secret, VirtualIP>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, SECRETS_SOURCE);
        return source.get(new ResourceID(vip.getSpec().passwordSecretRef.name, settings.namespace()));
    }
}
