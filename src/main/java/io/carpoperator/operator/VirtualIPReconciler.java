package io.carpoperator.operator;

import io.carpoperator.api.FieldProblem;
import io.carpoperator.api.NodeState;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.SpecValidator;
import io.carpoperator.api.Timestamps;
import io.carpoperator.api.UnreadValue;
import io.carpoperator.api.VirtualIP;
import io.carpoperator.api.VirtualIPStatus;
import io.carpoperator.api.ConditionReasons;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
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
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles one VirtualIP: validate → decide the VHID → resolve the agents' configuration → keep the agent
 * DaemonSet in place → aggregate the agents' node entries into master, phase and conditions → Events on transitions.
 * Status changes of the agents must trigger it too, hence no generation-aware filtering.
 */
@ControllerConfiguration(name = VirtualIPReconciler.NAME, generationAwareEventProcessing = false)
public class VirtualIPReconciler implements Reconciler<VirtualIP>, Cleaner<VirtualIP> {
    static final String NAME = "virtualip";
    static final String NODES_SOURCE = "nodes";
    static final String SECRETS_SOURCE = "secrets";
    private static final Logger LOG = Logger.getLogger(VirtualIPReconciler.class);

    private final OperatorSettings settings;
    private final AgentInfrastructure infrastructure;
    private final VhidRegistry vhids;
    private final StatusWriter statusWriter;
    private final EventRecorder events;
    private final Clock clock;
    private final StatusAggregator aggregator;

    public VirtualIPReconciler(OperatorSettings settings, AgentInfrastructure infrastructure, VhidRegistry vhids,
            StatusWriter statusWriter, EventRecorder events, Clock clock) {
        this.settings = settings;
        this.infrastructure = infrastructure;
        this.vhids = vhids;
        this.statusWriter = statusWriter;
        this.events = events;
        this.clock = clock;
        this.aggregator = new StatusAggregator(settings.status().staleness());
    }

    @Override
    public List<EventSource<?, VirtualIP>> prepareEventSources(EventSourceContext<VirtualIP> context) {
        // Node labels decide who takes part: any Node change re-examines every VirtualIP.
        var nodes = InformerEventSourceConfiguration.from(Node.class, VirtualIP.class)
                .withName(NODES_SOURCE)
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
        return List.of(new InformerEventSource<>(nodes, context), new InformerEventSource<>(secrets, context));
    }

    @Override
    public UpdateControl<VirtualIP> reconcile(VirtualIP vip, Context<VirtualIP> context) {
        String name = vip.getMetadata().getName();
        infrastructure.ensure();
        VirtualIPStatus previous = vip.getStatus();
        Integer vhid = previous == null ? null : previous.vhid;

        logIgnoredFields(vip, previous);
        List<FieldProblem> problems = new ArrayList<>(SpecValidator.validate(vip.getSpec()));
        if (problems.isEmpty()) {
            NodeSelection.problem(vip.getSpec().nodeSelector)
                    .ifPresent(p -> problems.add(new FieldProblem("spec.nodeSelector", p)));
        }
        if (problems.isEmpty()) {
            var all = context.getPrimaryCache().list().toList();
            VhidAllocator.Decision decision = vhids.decide(vip, all);
            if (decision instanceof VhidAllocator.Allocated allocated) {
                vhid = allocated.vhid();
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

        Instant now = clock.instant();
        StatusAggregate aggregate = aggregator.aggregate(previous, vip.getMetadata().getGeneration(), problems, resolved, vhid, now);
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
        List<String> holders = vip.getStatus() == null || vip.getStatus().nodes == null ? List.of()
                : vip.getStatus().nodes.entrySet().stream()
                        .filter(e -> e.getValue() != null && e.getValue().state == NodeState.MASTER)
                        .map(java.util.Map.Entry::getKey).sorted().toList();
        Instant deleted = Timestamps.parse(vip.getMetadata().getDeletionTimestamp()).orElse(clock.instant());
        Instant deadline = deleted.plus(settings.deletion().releaseTimeout());
        if (!holders.isEmpty()) {
            if (clock.instant().isBefore(deadline)) {
                LOG.infof("VirtualIP %s is being deleted; waiting for %s to release %s", name, holders, vip.getSpec().address);
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
            }
            events.record(vip, EventNote.warning(ConditionReasons.RELEASE_TIMEOUT, String.join(", ", holders)
                    + " did not confirm releasing " + vip.getSpec().address + " within "
                    + settings.deletion().releaseTimeout().toSeconds() + "s; deleting anyway"));
        } else {
            events.record(vip, EventNote.normal(ConditionReasons.ADDRESS_RELEASED, "no node holds " + vip.getSpec().address + " any more"));
        }
        vhids.forget(name);
        boolean othersLeft = context.getPrimaryCache().list().anyMatch(other -> !other.getMetadata().getName().equals(name));
        if (!othersLeft) {
            infrastructure.removeAll();
        }
        return DeleteControl.defaultDelete();
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
