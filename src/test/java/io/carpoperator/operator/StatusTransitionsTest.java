package io.carpoperator.operator;

import static io.carpoperator.api.ConditionReasons.DUPLICATE_ADDRESS_OWNER;
import static io.carpoperator.api.ConditionReasons.INVALID_SPEC;
import static io.carpoperator.api.ConditionReasons.MASTER_CHANGED;
import static io.carpoperator.api.ConditionReasons.MULTIPLE_MASTERS;
import static io.carpoperator.api.ConditionReasons.NODES_ISOLATED;
import static io.carpoperator.api.ConditionReasons.NO_MASTER;
import static io.carpoperator.api.ConditionReasons.SPEC_VALID;
import static io.carpoperator.api.ConditionReasons.STALE_NODES;
import static io.carpoperator.api.ConditionReasons.VHID_CONFLICT;
import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.Phase;
import io.carpoperator.api.ResolvedConfig;
import io.carpoperator.api.VirtualIPStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Events a status change deserves, from the status as written before and the new aggregate. */
class StatusTransitionsTest {
    private static final String ADDRESS = "198.51.100.10/24";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static ResolvedConfig resolved() {
        ResolvedConfig config = new ResolvedConfig();
        config.address = ADDRESS;
        return config;
    }

    private static Condition condition(String type, boolean status, String reason, String message) {
        return Conditions.of(List.of(), type, status, reason, message, 1L, NOW);
    }

    private static StatusAggregate after(String master, Condition... conditions) {
        return new StatusAggregate(1L, 7, master, Phase.Ready, List.of(conditions), resolved(), Map.of());
    }

    private static VirtualIPStatus before(String master, Condition... conditions) {
        VirtualIPStatus status = new VirtualIPStatus();
        status.master = master;
        status.conditions = List.of(conditions);
        return status;
    }

    @Test
    void aFirstMasterIsANormalEventNamingNoPredecessor() {
        var expected = EventNote.normal(MASTER_CHANGED, "a is now master of " + ADDRESS);
        assertThat(StatusTransitions.between(null, after("a"))).containsExactly(expected);
        assertThat(StatusTransitions.between(before(null), after("a"))).containsExactly(expected);
        assertThat(StatusTransitions.between(before(""), after("a"))).containsExactly(expected);
    }

    @Test
    void aNewMasterNamesThePreviousOne() {
        assertThat(StatusTransitions.between(before("a"), after("b")))
                .containsExactly(EventNote.normal(MASTER_CHANGED, "b is now master of " + ADDRESS + " (was a)"));
    }

    @Test
    void withoutAResolvedConfigurationTheAddressIsNamedGenerically() {
        var noConfig = new StatusAggregate(1L, null, "a", Phase.Ready, List.of(), null, Map.of());
        assertThat(StatusTransitions.between(null, noConfig))
                .containsExactly(EventNote.normal(MASTER_CHANGED, "a is now master of the address"));
    }

    @Test
    void theSameMasterOrStillNoneSaysNothing() {
        assertThat(StatusTransitions.between(before("a"), after("a"))).isEmpty();
        assertThat(StatusTransitions.between(null, after(""))).isEmpty();
    }

    @Test
    void losingTheMasterWarnsNamingTheLastOne() {
        assertThat(StatusTransitions.between(before("a"), after("",
                condition(ConditionTypes.SPLIT_BRAIN, false, "SingleMaster", "at most one node claims MASTER"))))
                .containsExactly(EventNote.warning(NO_MASTER, "no node holds " + ADDRESS + " any more (was a)"));
    }

    @Test
    void losingTheMasterToASplitBrainWarnsOfTheSplitBrainOnly() {
        String twoClaims = "a, b all claim MASTER for " + ADDRESS;
        assertThat(StatusTransitions.between(before("a"), after("",
                condition(ConditionTypes.SPLIT_BRAIN, true, MULTIPLE_MASTERS, twoClaims))))
                .containsExactly(EventNote.warning(MULTIPLE_MASTERS, twoClaims));
    }

    @Test
    void isolationWarnsWhenItBeginsAndWhenItNamesOtherNodesButNotWhileItStaysTheSame() {
        Condition aIsolated = condition(ConditionTypes.ISOLATED, true, NODES_ISOLATED, "a is isolated (no peer answered)");
        Condition none = condition(ConditionTypes.ISOLATED, false, "NoNodeIsolated", "no node is isolated");
        assertThat(StatusTransitions.between(before("b", none), after("b", aIsolated)))
                .containsExactly(EventNote.warning(NODES_ISOLATED, "a is isolated (no peer answered)"));
        assertThat(StatusTransitions.between(before("b", aIsolated), after("b", aIsolated))).isEmpty();

        Condition bothIsolated = condition(ConditionTypes.ISOLATED, true, NODES_ISOLATED, "a is isolated (x); c is isolated (y)");
        assertThat(StatusTransitions.between(before("b", aIsolated), after("b", bothIsolated)))
                .containsExactly(EventNote.warning(NODES_ISOLATED, "a is isolated (x); c is isolated (y)"));
        assertThat(StatusTransitions.between(before("b", aIsolated), after("b", none))).as("isolation over").isEmpty();
    }

    @Test
    void anotherOwnerOnTheWireWarnsOnceAndAgainWhenItNamesAnotherMac() {
        String oneMac = "a holds " + ADDRESS + " but 02:00:00:00:00:99 also answers ARP for it";
        String otherMac = "a holds " + ADDRESS + " but 02:00:00:00:00:98 also answers ARP for it";
        Condition seen = condition(ConditionTypes.SPLIT_BRAIN, true, DUPLICATE_ADDRESS_OWNER, oneMac);
        assertThat(StatusTransitions.between(before("a"), after("a", seen)))
                .containsExactly(EventNote.warning(DUPLICATE_ADDRESS_OWNER, oneMac));
        assertThat(StatusTransitions.between(before("a", seen), after("a", seen))).isEmpty();
        assertThat(StatusTransitions.between(before("a", seen), after("a",
                condition(ConditionTypes.SPLIT_BRAIN, true, DUPLICATE_ADDRESS_OWNER, otherMac))))
                .containsExactly(EventNote.warning(DUPLICATE_ADDRESS_OWNER, otherMac));
    }

    @Test
    void aSplitBrainThatChangesItsReasonWarnsWithTheNewReason() {
        String owner = "a holds " + ADDRESS + " but 02:00:00:00:00:99 also answers ARP for it";
        String claims = "a, b all claim MASTER for " + ADDRESS + "; " + owner;
        assertThat(StatusTransitions.between(
                before("a", condition(ConditionTypes.SPLIT_BRAIN, true, DUPLICATE_ADDRESS_OWNER, owner)),
                after("", condition(ConditionTypes.SPLIT_BRAIN, true, MULTIPLE_MASTERS, claims))))
                .containsExactly(EventNote.warning(MULTIPLE_MASTERS, claims));
    }

    @Test
    void degradedWarnsOnlyForAVhidConflict() {
        String conflict = "VHID 7 is also used by VirtualIP 'older'";
        assertThat(StatusTransitions.between(before("a"), after("a",
                condition(ConditionTypes.DEGRADED, true, VHID_CONFLICT, conflict))))
                .containsExactly(EventNote.warning(VHID_CONFLICT, conflict));
        assertThat(StatusTransitions.between(before("a"), after("a",
                condition(ConditionTypes.DEGRADED, true, STALE_NODES, "no fresh report (within 30s) from b"))))
                .as("another reason of Degraded").isEmpty();
    }

    @Test
    void anInvalidSpecWarnsOnceWithItsProblemsAndAgainWhenTheyChange() {
        Condition valid = condition(ConditionTypes.VALID, true, SPEC_VALID, "the spec is valid");
        Condition badVhid = condition(ConditionTypes.VALID, false, INVALID_SPEC, "spec.vhid: 0 is outside 1-255");
        Condition badAddress = condition(ConditionTypes.VALID, false, INVALID_SPEC, "spec.address: is empty");
        assertThat(StatusTransitions.between(before("a", valid), after("a", badVhid)))
                .containsExactly(EventNote.warning(INVALID_SPEC, "spec.vhid: 0 is outside 1-255"));
        assertThat(StatusTransitions.between(before("a", badVhid), after("a", badVhid))).isEmpty();
        assertThat(StatusTransitions.between(before("a", badVhid), after("a", badAddress)))
                .containsExactly(EventNote.warning(INVALID_SPEC, "spec.address: is empty"));
        assertThat(StatusTransitions.between(before("a", badVhid), after("a", valid))).as("fixed").isEmpty();
    }
}
