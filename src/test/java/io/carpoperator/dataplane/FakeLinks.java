package io.carpoperator.dataplane;

import io.carpoperator.wire.CarpAdvert;
import io.carpoperator.wire.CarpAdvertListener;
import io.carpoperator.wire.LinkWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A node's links in a unit test: the test plays adverts on an interface and decides who else answers ARP. */
final class FakeLinks implements LinkWatch {

    private final Map<String, List<Consumer<CarpAdvert>>> subscribers = new ConcurrentHashMap<>();
    final List<String> ownerQuestions = new CopyOnWriteArrayList<>();
    volatile List<String> otherOwners = List.of();
    volatile boolean listening = true;
    volatile boolean cannotAsk;

    void play(CarpAdvert advert) {
        for (Consumer<CarpAdvert> consumer : new ArrayList<>(subscribers.getOrDefault(advert.interfaceName(), List.of()))) {
            consumer.accept(advert);
        }
    }

    int subscriptions(String interfaceName) {
        return subscribers.getOrDefault(interfaceName, List.of()).size();
    }

    @Override
    public CarpAdvertListener.Subscription adverts(String interfaceName, int vhid, Consumer<CarpAdvert> consumer) {
        subscribers.computeIfAbsent(interfaceName, k -> new CopyOnWriteArrayList<>()).add(consumer);
        return () -> subscribers.getOrDefault(interfaceName, List.of()).remove(consumer);
    }

    @Override
    public CompletableFuture<List<String>> otherOwners(String interfaceName, String address, Duration deadline) {
        ownerQuestions.add(interfaceName + " " + address);
        return cannotAsk ? CompletableFuture.failedFuture(new IOException("no helper"))
                : CompletableFuture.completedFuture(otherOwners);
    }

    final List<String> announced = new CopyOnWriteArrayList<>();
    volatile boolean canAnnounce;

    @Override
    public boolean announce(String interfaceName, String address) {
        if (canAnnounce) {
            announced.add(interfaceName + " " + address);
        }
        return canAnnounce;
    }

    @Override
    public boolean listening() {
        return listening;
    }
}
