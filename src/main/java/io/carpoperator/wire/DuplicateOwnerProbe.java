package io.carpoperator.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the link who else answers for an address, with one RFC 5227 ARP probe (sender address 0.0.0.0) through the
 * node's {@link WireHelper}: a CARP master uses it to find another host that also holds its virtual IP. Replies from
 * this host's own MACs never count (the helper drops them).
 */
public final class DuplicateOwnerProbe implements WireHelper.Listener {

    private final WireHelper helper;
    private final ScheduledExecutorService scheduler;
    private final Map<Long, Asking> asking = new HashMap<>();

    private DuplicateOwnerProbe(WireHelper helper, ScheduledExecutorService scheduler) {
        this.helper = Objects.requireNonNull(helper, "helper");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** @param scheduler fires the deadlines */
    public static DuplicateOwnerProbe on(WireHelper helper, ScheduledExecutorService scheduler) {
        DuplicateOwnerProbe probe = new DuplicateOwnerProbe(helper, scheduler);
        helper.addListener(probe);
        return probe;
    }

    private static final class Asking {
        final String interfaceName;
        final String address;
        final Set<String> owners = new LinkedHashSet<>();
        final CompletableFuture<List<String>> result = new CompletableFuture<>();
        ScheduledFuture<?> timer;

        Asking(String interfaceName, String address) {
            this.interfaceName = interfaceName;
            this.address = address;
        }

        String what() {
            return "ARP probe for " + address + " on " + interfaceName;
        }
    }

    /**
     * The MACs (lower case, colon-separated, in the order they first answered) of other hosts that answered for
     * {@code address} on {@code interfaceName} within {@code deadline}; empty when nobody did. Completes exceptionally
     * (an {@link IOException} saying why) when the question could not be asked or the helper stopped meanwhile, so that
     * "nobody answered" is never confused with "we could not ask"; an invalid argument throws at once.
     */
    public CompletableFuture<List<String>> otherOwners(String interfaceName, String address, Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        long requestId = helper.nextRequestId();
        String command = WireCommand.dad(requestId, interfaceName, address);
        Asking question = new Asking(interfaceName, address);
        synchronized (asking) {
            asking.put(requestId, question);
            question.timer = scheduler.schedule(() -> deadlinePassed(requestId), deadline.toNanos(), TimeUnit.NANOSECONDS);
        }
        try {
            helper.send(command);
        } catch (IOException e) {
            fail(requestId, e.getMessage());
        }
        return question.result;
    }

    @Override
    public void onEvent(WireEvent event, long arrivedNanos) {
        if (event instanceof WireEvent.ArpReply reply) {
            synchronized (asking) {
                Asking question = asking.get(reply.requestId());
                if (question != null && question.address.equals(reply.address())) {
                    question.owners.add(reply.mac());
                }
            }
        } else if (event instanceof WireEvent.Failure failure && failure.requestId().isPresent()) {
            fail(failure.requestId().getAsLong(), failure.message());
        }
    }

    @Override
    public void onStopped(String reason) {
        List<Long> ids;
        synchronized (asking) {
            ids = new ArrayList<>(asking.keySet());
        }
        for (long id : ids) {
            fail(id, reason);
        }
    }

    private void deadlinePassed(long requestId) {
        Asking question;
        List<String> owners;
        synchronized (asking) {
            question = asking.remove(requestId);
            if (question == null) {
                return;
            }
            owners = List.copyOf(question.owners);
        }
        question.result.complete(owners);
        try {
            helper.send(WireCommand.cancel(requestId));
        } catch (IOException e) {
            // A helper that is gone has forgotten the request already.
        }
    }

    private void fail(long requestId, String reason) {
        Asking question;
        synchronized (asking) {
            question = asking.remove(requestId);
        }
        if (question != null) {
            question.timer.cancel(false);
            question.result.completeExceptionally(new IOException(question.what() + " failed: " + reason));
        }
    }
}
