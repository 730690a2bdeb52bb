package io.carpoperator.operator;

import io.carpoperator.api.ConditionReasons;
import io.carpoperator.api.ConditionTypes;
import io.carpoperator.api.VirtualIPStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Events a status change deserves: master changes, isolation, split brain (two MASTER claims, or another MAC owning
 * the address on the wire), VHID conflicts (another VirtualIP's, or foreign adverts: both make Degraded VhidConflict,
 * whose message names the nodes and senders) and rejected specs.
 */
final class StatusTransitions {
    private StatusTransitions() {
    }

    static List<EventNote> between(VirtualIPStatus before, StatusAggregate after) {
        List<EventNote> notes = new ArrayList<>();
        String oldMaster = before == null || before.master == null ? "" : before.master;
        var oldConditions = before == null ? null : before.conditions;
        String address = after.resolved() == null ? "the address" : after.resolved().address;
        if (!Objects.equals(oldMaster, after.master())) {
            if (!after.master().isEmpty()) {
                notes.add(EventNote.normal(ConditionReasons.MASTER_CHANGED, after.master() + " is now master of " + address
                        + (oldMaster.isEmpty() ? "" : " (was " + oldMaster + ")")));
            } else if (!Conditions.isTrue(after.conditions(), ConditionTypes.SPLIT_BRAIN)) {
                notes.add(EventNote.warning(ConditionReasons.NO_MASTER, "no node holds " + address + " any more (was " + oldMaster + ")"));
            }
        }
        raised(oldConditions, after, ConditionTypes.SPLIT_BRAIN, ConditionReasons.MULTIPLE_MASTERS, notes);
        raised(oldConditions, after, ConditionTypes.SPLIT_BRAIN, ConditionReasons.DUPLICATE_ADDRESS_OWNER, notes);
        raised(oldConditions, after, ConditionTypes.ISOLATED, ConditionReasons.NODES_ISOLATED, notes);
        raised(oldConditions, after, ConditionTypes.DEGRADED, ConditionReasons.VHID_CONFLICT, notes);
        String oldValid = Conditions.message(oldConditions, ConditionTypes.VALID);
        String newValid = Conditions.message(after.conditions(), ConditionTypes.VALID);
        if (!Conditions.isTrue(after.conditions(), ConditionTypes.VALID) && !Objects.equals(oldValid, newValid)) {
            notes.add(EventNote.warning(ConditionReasons.INVALID_SPEC, newValid));
        }
        return notes;
    }

    /** A warning when the condition turns True for this reason, or when it stays so but names other nodes or resources. */
    private static void raised(List<io.fabric8.kubernetes.api.model.Condition> before, StatusAggregate after, String type,
            String reason, List<EventNote> notes) {
        if (trueFor(after.conditions(), type, reason)) {
            String message = Conditions.message(after.conditions(), type);
            if (!trueFor(before, type, reason) || !Objects.equals(Conditions.message(before, type), message)) {
                notes.add(EventNote.warning(reason, message));
            }
        }
    }

    private static boolean trueFor(List<io.fabric8.kubernetes.api.model.Condition> conditions, String type, String reason) {
        return Conditions.isTrue(conditions, type) && reason.equals(Conditions.reason(conditions, type));
    }
}
