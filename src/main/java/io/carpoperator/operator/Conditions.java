package io.carpoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import io.carpoperator.api.Timestamps;
import java.util.Objects;
import java.util.Optional;

/** Builds conditions that keep their lastTransitionTime while their status stays the same. */
final class Conditions {
    private Conditions() {
    }

    static Condition of(List<Condition> previous, String type, boolean status, String reason, String message, Long generation, Instant now) {
        String statusText = status ? "True" : "False";
        String since = previous == null ? null : previous.stream()
                .filter(c -> type.equals(c.getType()) && statusText.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        Condition condition = new Condition();
        condition.setType(type);
        condition.setStatus(statusText);
        condition.setReason(reason);
        condition.setMessage(message);
        condition.setObservedGeneration(generation);
        condition.setLastTransitionTime(since != null ? since : Timestamps.format(now));
        return condition;
    }

    static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String message(List<Condition> conditions, String type) {
        return find(conditions, type).map(Condition::getMessage).orElse(null);
    }

    static String reason(List<Condition> conditions, String type) {
        return find(conditions, type).map(Condition::getReason).orElse(null);
    }

    private static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
