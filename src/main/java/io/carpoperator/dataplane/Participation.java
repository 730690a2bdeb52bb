package io.carpoperator.dataplane;

import io.carpoperator.api.NodeState;
import io.carpoperator.carp.UcarpState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How one VIP on this node takes part in CARP: the facts (what ucarp says, whether the watchdog withdrew it, a failure,
 * a back-off from foreign adverts, stopping) and the node state derived from them, with since and reason. Pure: each
 * event changes the facts and returns a {@link Step}; the caller logs, counts and reports it. Not thread-safe:
 * {@link VipRunner} calls it under its monitor.
 *
 * <p>The state is derived in one order: stopping is INIT, then ISOLATED (withdrawn by the watchdog), then FAILED
 * (another node's adverts, or a failure), then INIT while a password rotation backs off from our own old master, and
 * otherwise what ucarp says. Participation is reconciled, not toggled: ucarp should run unless stopping, withdrawn or
 * backing off from foreign adverts.
 */
final class Participation {

    /**
     * The result of one event. {@code report} when the state changed, or a FAILED or stopping node has a new reason;
     * then the state is {@code to} since now with {@code reason}.
     */
    record Step(NodeState from, NodeState to, String reason, boolean report) {
        Step {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }

        boolean changed() {
            return from != to;
        }
    }

    /** What the derivation reads of a {@link ForeignAdvertBackOff}; its scheduling stays there. */
    interface BackOff {
        /** Why ucarp is not running now, or null when not backing off. */
        String reason();

        /** Backing off from another node's adverts; not the expected back-off from our own old master in a rotation. */
        boolean fromForeignNode();

        boolean inRotation();
    }

    private final Clock clock;
    private final BackOff foreignAdverts;

    private UcarpState ucarpState = UcarpState.INIT;
    private Instant lostMastershipAt;
    private boolean joinedSinceStart;
    private String lastUcarpError;
    private String isolationReason;
    private String failure;
    private boolean stopping;
    private NodeState state = NodeState.INIT;
    private Instant since;
    private String reason = "starting";

    Participation(Clock clock, BackOff foreignAdverts) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.foreignAdverts = Objects.requireNonNull(foreignAdverts, "foreignAdverts");
        this.since = clock.instant();
    }

    // ---- events -------------------------------------------------------------------------------------------------

    Step ucarpSwitched(UcarpState to) {
        ucarpState = to;
        if (to != UcarpState.INIT) {
            joinedSinceStart = true;
            failure = null;
        }
        return settle("ucarp switched to " + to);
    }

    /** A failure only when ucarp never joined since it started: a crash after joining is a restart, not a fault. */
    Step ucarpCrashed(int exitCode, Duration restartIn) {
        if (ucarpState == UcarpState.MASTER) {
            lostMastershipAt = clock.instant();
        }
        ucarpState = UcarpState.INIT;
        String what = exitCode < 0 ? "ucarp could not be started" : "ucarp exited with code " + exitCode;
        String detail = lastUcarpError == null ? "" : " (" + lastUcarpError + ")";
        String message = what + detail + ", restarting in " + restartIn.toMillis() + "ms";
        if (!joinedSinceStart) {
            failure = message;
        }
        joinedSinceStart = false;
        lastUcarpError = null;
        return settle(message);
    }

    /** An error line from ucarp, kept to explain its next crash. */
    void ucarpSaid(String error) {
        lastUcarpError = error;
    }

    void ucarpStarting() {
        joinedSinceStart = false;
    }

    void ucarpStopped() {
        ucarpState = UcarpState.INIT;
    }

    /** ucarp is configured again: a configuration failure no longer holds (the state follows with the next event). */
    void configured() {
        failure = null;
    }

    Step withdrawn(String why) {
        isolationReason = "withdrawn: " + why;
        return settle(isolationReason);
    }

    Step rejoined(String why) {
        isolationReason = null;
        return settle("rejoining CARP: " + why);
    }

    Step isolationTurnedOff() {
        boolean withdrawn = isolationReason != null;
        isolationReason = null;
        return settle(withdrawn ? "rejoining CARP: isolation turned off" : reason);
    }

    Step failed(String message) {
        failure = message;
        return settle(message);
    }

    /** Nothing but the reason changed here (e.g. a back-off began or ended); the state may follow other facts. */
    Step noted(String why) {
        return settle(why);
    }

    /** Returns false when already stopping. */
    boolean stopping() {
        if (stopping) {
            return false;
        }
        stopping = true;
        return true;
    }

    Step stopped(String how) {
        ucarpState = UcarpState.INIT;
        return settle(how);
    }

    // ---- queries ------------------------------------------------------------------------------------------------

    boolean isStopping() {
        return stopping;
    }

    boolean wantsUcarp() {
        return !stopping && isolationReason == null && foreignAdverts.reason() == null;
    }

    /** Reported MASTER and not stopping: the address is ours to announce. */
    boolean isMaster() {
        return state == NodeState.MASTER && !stopping;
    }

    /** ucarp itself says MASTER, whatever is reported. */
    boolean ucarpMaster() {
        return ucarpState == UcarpState.MASTER;
    }

    /** Back off from a failed advert unless we hold the VIP outside a rotation, already back off, or are stopping. */
    boolean backsOffFromForeignAdvert() {
        return (ucarpState != UcarpState.MASTER || foreignAdverts.inRotation()) && foreignAdverts.reason() == null
                && !stopping;
    }

    /** ucarp crashed as MASTER less than {@code within} ago. */
    boolean exitedAsMasterWithin(Duration within) {
        return lostMastershipAt != null && Duration.between(lostMastershipAt, clock.instant()).compareTo(within) < 0;
    }

    NodeState state() {
        return state;
    }

    Instant since() {
        return since;
    }

    String reason() {
        return reason;
    }

    // ---- derivation ---------------------------------------------------------------------------------------------

    private NodeState derive() {
        if (stopping) {
            return NodeState.INIT;
        }
        if (isolationReason != null) {
            return NodeState.ISOLATED;
        }
        if (foreignAdverts.fromForeignNode() || failure != null) {
            return NodeState.FAILED;
        }
        if (foreignAdverts.reason() != null) {
            return NodeState.INIT; // a rotation's back-off from our own old master: expected, not a failure
        }
        return switch (ucarpState) {
            case MASTER -> NodeState.MASTER;
            case BACKUP -> NodeState.BACKUP;
            default -> NodeState.INIT;
        };
    }

    private Step settle(String why) {
        NodeState from = state;
        NodeState to = derive();
        boolean report = to != from || ((to == NodeState.FAILED || stopping) && !why.equals(reason));
        if (report) {
            state = to;
            since = clock.instant();
            reason = why;
        }
        return new Step(from, to, why, report);
    }
}
