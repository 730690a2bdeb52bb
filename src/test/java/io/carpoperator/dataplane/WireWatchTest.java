package io.carpoperator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.testing.LogCapture;
import io.carpoperator.testing.ManualScheduler;
import io.carpoperator.watchdog.ProbeKind;
import io.carpoperator.wire.CarpAdvert;
import io.carpoperator.wire.CarpAdvertListener;
import io.carpoperator.wire.LinkWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What one VIP's link shows of other speakers: foreign adverts for its VHID, and other MACs answering for its address. */
class WireWatchTest {

    /**
     * A real ucarp 1.5.2 advert for vhid 7 with password "secret" and virtual address 198.51.100.250, as captured in
     * io.carpoperator.wire.CarpAdvertTest (VHID_7): authenticates with those, and with nothing else.
     */
    private static final String SIGNED_WITH_SECRET = "21070007000102014370b886723a2c9a463046eba28ecad4cf9441ac9f1840d3149d41db";
    private static final String VIP = "198.51.100.250";
    private static final String OWN_ADDRESS = "198.51.100.11";
    private static final String PEER = "198.51.100.12";
    private static final String STRANGER = "198.51.100.77";
    private static final String OTHER_STRANGER = "198.51.100.78";
    private static final String MAC = "02:00:00:00:00:99";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeLinks links = new FakeLinks();
    private final AtomicReference<VipSettings> settings = new AtomicReference<>(settings("secret"));
    private final AtomicBoolean master = new AtomicBoolean();
    private final AtomicInteger changes = new AtomicInteger();
    private final WireWatch watch = watch(links);

    private static VipSettings settings(String password) {
        return new VipSettings("web", VIP, 24, "eth0", null, 7, false, 1, 0, password, false, List.of(PEER), List.of(),
                List.of(), Set.of(ProbeKind.ICMP), Duration.ofSeconds(1), 2, 2, Duration.ZERO);
    }

    private WireWatch watch(LinkWatch on) {
        return new WireWatch("vip web", on, scheduler, scheduler.clock(), settings::get, master::get, changes::incrementAndGet);
    }

    private static CarpAdvert unauthentic(String source) {
        return new CarpAdvert("eth0", source, 255, 2, 1, 7, 0, 1, 42L, new byte[20], true);
    }

    private static CarpAdvert signedWithSecret(String source) {
        return CarpAdvert.parse("eth0", source, 255, SIGNED_WITH_SECRET);
    }

    private Instant now() {
        return scheduler.now();
    }

    @Test
    void anUnauthenticAdvertFromAStrangerIsAVhidConflictNamingSenderVhidAndInterface() {
        watch.start("eth0", OWN_ADDRESS);
        links.play(unauthentic(STRANGER));

        assertThat(watch.conflicts()).containsExactly(new WireConflict(WireConflict.Kind.FOREIGN_ADVERT, 7, STRANGER, null,
                "CARP adverts for vhid 7 from " + STRANGER + " on eth0 do not authenticate with this VIP's password and address",
                now(), now(), 1));
        assertThat(changes).hasValue(1);
    }

    @Test
    void theSameStrangerHeardAgainIsCountedAndDatedButIsNoNews() {
        watch.start("eth0", OWN_ADDRESS);
        Instant first = now();
        links.play(unauthentic(STRANGER));
        scheduler.advance(Duration.ofSeconds(1));
        links.play(unauthentic(STRANGER));

        assertThat(watch.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.count()).isEqualTo(2);
            assertThat(conflict.firstSeen()).isEqualTo(first);
            assertThat(conflict.lastSeen()).isEqualTo(now());
        });
        assertThat(changes).as("said once").hasValue(1);

        links.play(unauthentic(OTHER_STRANGER));
        assertThat(changes).as("another sender is news").hasValue(2);
    }

    @Test
    void authenticAdvertsOurOwnAdvertsAndOtherVhidsAreNoConflict() {
        watch.start("eth0", OWN_ADDRESS);
        links.play(signedWithSecret("198.51.100.212"));
        links.play(unauthentic(OWN_ADDRESS));
        links.play(new CarpAdvert("eth0", STRANGER, 255, 2, 1, 8, 0, 1, 42L, new byte[20], true));

        assertThat(watch.conflicts()).isEmpty();
        assertThat(watch.foreignOnlyRecently()).as("nothing failed authentication").isFalse();
        assertThat(changes).hasValue(0);
    }

    @Test
    void advertsOnThePreviousPasswordCountAsOursForNinetySecondsAfterAChange() {
        settings.set(settings("new"));
        watch.passwordChanged("secret");
        watch.start("eth0", OWN_ADDRESS);

        scheduler.advance(WireWatch.PREVIOUS_PASSWORD_VALID.minusMillis(1));
        links.play(signedWithSecret(STRANGER));
        assertThat(watch.conflicts()).isEmpty();

        scheduler.advance(Duration.ofMillis(1));
        links.play(signedWithSecret(STRANGER));
        assertThat(watch.conflicts()).extracting(WireConflict::sender).containsExactly(STRANGER);
    }

    @Test
    void withoutAPasswordChangeAnAdvertOnAnotherPasswordIsForeign() {
        settings.set(settings("new"));
        watch.start("eth0", OWN_ADDRESS);
        links.play(signedWithSecret(STRANGER));
        assertThat(watch.conflicts()).extracting(WireConflict::sender).containsExactly(STRANGER);
    }

    @Test
    void aPeersUnauthenticAdvertsAreNoConflictAndMeanTheFailuresAreNotForeignOnly() {
        watch.start("eth0", OWN_ADDRESS);
        links.play(unauthentic(PEER));
        assertThat(watch.conflicts()).isEmpty();
        assertThat(changes).hasValue(0);
        assertThat(watch.foreignOnlyRecently()).isFalse();

        links.play(unauthentic(STRANGER));
        assertThat(watch.foreignOnlyRecently()).as("the peer failed too, just now").isFalse();

        scheduler.advance(WireWatch.RECENT.plusMillis(1));
        links.play(unauthentic(STRANGER));
        assertThat(watch.foreignOnlyRecently()).as("the peer's failure is older than " + WireWatch.RECENT).isTrue();
    }

    @Test
    void foreignOnlyRecentlyLooksBackThreeSecondsAndOnlyWhileSomethingListens() {
        watch.start("eth0", OWN_ADDRESS);
        assertThat(watch.foreignOnlyRecently()).as("nothing heard").isFalse();
        links.play(unauthentic(STRANGER));
        assertThat(watch.foreignOnlyRecently()).isTrue();

        scheduler.advance(WireWatch.RECENT);
        assertThat(watch.foreignOnlyRecently()).isTrue();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(watch.foreignOnlyRecently()).isFalse();

        links.play(unauthentic(STRANGER));
        links.listening = false;
        assertThat(watch.foreignOnlyRecently()).as("no wire helper: cannot tell").isFalse();
    }

    @Test
    void aStrangerIsForgottenThirtySecondsAfterItsLastAdvert() {
        watch.start("eth0", OWN_ADDRESS);
        links.play(unauthentic(STRANGER));

        scheduler.advance(WireWatch.FOREIGN_FORGOTTEN_AFTER);
        assertThat(watch.conflicts()).hasSize(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(watch.conflicts()).isEmpty();
        assertThat(watch.foreignOnlyRecently()).isFalse();
    }

    @Test
    void thePeriodicCheckForgetsQuietStrangersAndSaysTheConflictsChanged() {
        watch.start("eth0", OWN_ADDRESS);
        links.play(unauthentic(STRANGER));
        assertThat(changes).hasValue(1);

        scheduler.advance(Duration.ofSeconds(30));
        assertThat(changes).as("the checks at 10, 20 and 30 s forget nothing").hasValue(1);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(changes).as("the check at 40 s forgets the stranger").hasValue(2);
        assertThat(watch.conflicts()).isEmpty();
    }

    @Test
    void conflictsComeNewestFirst() {
        watch.start("eth0", OWN_ADDRESS);
        links.play(unauthentic(STRANGER));
        scheduler.advance(Duration.ofSeconds(1));
        links.play(unauthentic(OTHER_STRANGER));
        assertThat(watch.conflicts()).extracting(WireConflict::sender).containsExactly(OTHER_STRANGER, STRANGER);

        scheduler.advance(Duration.ofSeconds(1));
        links.play(unauthentic(STRANGER));
        assertThat(watch.conflicts()).extracting(WireConflict::sender).containsExactly(STRANGER, OTHER_STRANGER);
    }

    @Test
    void aMasterReportsAMacAnsweringTwiceInARowCountsItAndClearsItWhenNoLongerMaster() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        watch.start("eth0", OWN_ADDRESS);

        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        assertThat(watch.conflicts()).as("one sighting may be a handover's overlap").isEmpty();
        Instant seen = now().plus(WireWatch.OWNER_RECHECK);
        scheduler.advance(WireWatch.OWNER_RECHECK);
        assertThat(watch.conflicts()).containsExactly(new WireConflict(WireConflict.Kind.DUPLICATE_OWNER, 7, null, MAC,
                MAC + " also answers ARP for " + VIP + " on eth0 while this node is master", seen, seen, 1));
        assertThat(changes).hasValue(1);
        assertThat(links.ownerQuestions).containsExactly("eth0 " + VIP, "eth0 " + VIP);

        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        assertThat(watch.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.count()).isEqualTo(2);
            assertThat(conflict.firstSeen()).isEqualTo(seen);
            assertThat(conflict.lastSeen()).isEqualTo(now());
        });
        assertThat(changes).as("every confirmed sighting refreshes the report").hasValue(2);

        master.set(false);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        assertThat(watch.conflicts()).isEmpty();
        assertThat(changes).hasValue(3);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        assertThat(changes).as("nothing left to clear").hasValue(3);
        assertThat(links.ownerQuestions).as("a backup asks nobody").hasSize(4);
    }

    @Test
    void aMacThatNoLongerAnswersIsClearedAtTheNextCheck() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        watch.start("eth0", OWN_ADDRESS);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.plus(WireWatch.OWNER_RECHECK));
        assertThat(watch.conflicts()).hasSize(1);

        links.otherOwners = List.of();
        try (LogCapture log = LogCapture.of(WireWatch.class)) {
            scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
            assertThat(watch.conflicts()).isEmpty();
            assertThat(changes).hasValue(2);
            assertThat(log.lines()).containsExactly("INFO vip web: duplicate owner gone: nobody else answers ARP for " + VIP);
        }
    }

    @Test
    void onlyMacsSeenAtBothChecksCountAndOnesGoneAtTheRecheckClearTheConflict() {
        master.set(true);
        links.otherOwners = List.of("02:00:00:00:00:01", "02:00:00:00:00:02");
        watch.start("eth0", OWN_ADDRESS);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        links.otherOwners = List.of("02:00:00:00:00:02", "02:00:00:00:00:03");
        scheduler.advance(WireWatch.OWNER_RECHECK);
        assertThat(watch.conflicts()).extracting(WireConflict::senderMac).containsExactly("02:00:00:00:00:02");
        assertThat(changes).hasValue(1);

        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.minus(WireWatch.OWNER_RECHECK));
        links.otherOwners = List.of();
        scheduler.advance(WireWatch.OWNER_RECHECK);
        assertThat(watch.conflicts()).as("gone at the recheck").isEmpty();
        assertThat(changes).hasValue(2);
    }

    @Test
    void aMacSeenOnceOnlyIsNoConflictAndNoChange() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        watch.start("eth0", OWN_ADDRESS);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        links.otherOwners = List.of();
        scheduler.advance(WireWatch.OWNER_RECHECK);
        assertThat(watch.conflicts()).isEmpty();
        assertThat(changes).hasValue(0);
    }

    @Test
    void aNodeThatIsNoLongerMasterAtTheRecheckRecordsNothingAndAsksNoMore() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        watch.start("eth0", OWN_ADDRESS);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        master.set(false);
        scheduler.advance(WireWatch.OWNER_RECHECK);
        assertThat(watch.conflicts()).isEmpty();
        assertThat(links.ownerQuestions).hasSize(1);
    }

    @Test
    void whenTheQuestionCannotBeAskedAtTheCheckOrTheRecheckNothingIsRecorded() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        links.cannotAsk = true;
        watch.start("eth0", OWN_ADDRESS);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.plus(WireWatch.OWNER_RECHECK));
        assertThat(watch.conflicts()).isEmpty();

        links.cannotAsk = false;
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.minus(WireWatch.OWNER_RECHECK));
        links.cannotAsk = true;
        scheduler.advance(WireWatch.OWNER_RECHECK);
        assertThat(watch.conflicts()).isEmpty();
        assertThat(changes).hasValue(0);
    }

    @Test
    void closingStopsListeningAndAsking() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        watch.start("eth0", OWN_ADDRESS);
        assertThat(links.subscriptions("eth0")).isEqualTo(1);

        watch.close();
        assertThat(links.subscriptions("eth0")).isZero();
        assertThat(scheduler.pendingDelays()).as("no owner checks left").isEmpty();
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.multipliedBy(3));
        assertThat(links.ownerQuestions).isEmpty();
    }

    @Test
    void aCloseBetweenCheckAndRecheckRecordsNothing() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        watch.start("eth0", OWN_ADDRESS);
        scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
        watch.close();
        scheduler.advance(WireWatch.OWNER_RECHECK);
        assertThat(watch.conflicts()).isEmpty();
        assertThat(changes).hasValue(0);
    }

    @Test
    void startingTwiceListensAndChecksOnce() {
        watch.start("eth0", OWN_ADDRESS);
        watch.start("eth0", OWN_ADDRESS);
        assertThat(links.subscriptions("eth0")).isEqualTo(1);
        assertThat(scheduler.pendingDelays()).containsExactly(WireWatch.OWNER_CHECK_INTERVAL);
    }

    @Test
    void aWatchClosedBeforeItStartsNeverListens() {
        watch.close();
        watch.start("eth0", OWN_ADDRESS);
        assertThat(links.subscriptions("eth0")).isZero();
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void aCloseWhileStartingLeavesNothingListeningOrScheduled() {
        AtomicReference<WireWatch> closing = new AtomicReference<>();
        LinkWatch closedMidway = new LinkWatch() {
            @Override
            public CarpAdvertListener.Subscription adverts(String interfaceName, int vhid, Consumer<CarpAdvert> consumer) {
                CarpAdvertListener.Subscription subscription = links.adverts(interfaceName, vhid, consumer);
                closing.get().close();
                return subscription;
            }

            @Override
            public CompletableFuture<List<String>> otherOwners(String interfaceName, String address, Duration deadline) {
                return links.otherOwners(interfaceName, address, deadline);
            }

            @Override
            public boolean announce(String interfaceName, String address) {
                return false;
            }

            @Override
            public boolean listening() {
                return true;
            }
        };
        closing.set(watch(closedMidway));

        closing.get().start("eth0", OWN_ADDRESS);

        assertThat(links.subscriptions("eth0")).isZero();
        assertThat(scheduler.pendingDelays()).isEmpty();
    }
    @Test
    void aNewMacIsLoggedOnceAsASplitBrainOnTheWireAndItsEndOnce() {
        master.set(true);
        links.otherOwners = List.of(MAC);
        watch.start("eth0", OWN_ADDRESS);
        try (LogCapture log = LogCapture.of(WireWatch.class)) {
            scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.plus(WireWatch.OWNER_RECHECK));
            scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL);
            master.set(false);
            scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.multipliedBy(2));

            assertThat(log.lines()).containsExactly(
                    "WARN vip web: split brain on the wire: " + MAC + " also answers ARP for " + VIP + " while this node is master"
                            + " (another host configured the address, or another CARP master holds it)",
                    "INFO vip web: duplicate owner gone: this node is no longer master");
        }
    }

    @Test
    void twoNewMacsAreLoggedTogetherAndAMacAlreadyKnownIsNotLoggedAgain() {
        master.set(true);
        links.otherOwners = List.of("02:00:00:00:00:01", "02:00:00:00:00:02");
        watch.start("eth0", OWN_ADDRESS);
        try (LogCapture log = LogCapture.of(WireWatch.class)) {
            scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.plus(WireWatch.OWNER_RECHECK));
            links.otherOwners = List.of("02:00:00:00:00:01", "02:00:00:00:00:03");
            scheduler.advance(WireWatch.OWNER_CHECK_INTERVAL.minus(WireWatch.OWNER_RECHECK));
            links.otherOwners = List.of("02:00:00:00:00:01", "02:00:00:00:00:03", "02:00:00:00:00:04");
            scheduler.advance(WireWatch.OWNER_RECHECK);

            assertThat(log.lines()).containsExactly(
                    "WARN vip web: split brain on the wire: 02:00:00:00:00:01, 02:00:00:00:00:02 also answer ARP for " + VIP
                            + " while this node is master (another host configured the address, or another CARP master holds it)",
                    "WARN vip web: split brain on the wire: 02:00:00:00:00:03 also answers ARP for " + VIP
                            + " while this node is master (another host configured the address, or another CARP master holds it)");
        }
    }

    @Test
    void aStrangerIsLoggedWhenFirstHeardAndWhenForgottenAndOnlyThen() {
        watch.start("eth0", OWN_ADDRESS);
        try (LogCapture log = LogCapture.of(WireWatch.class)) {
            Instant first = now();
            links.play(unauthentic(STRANGER));
            links.play(unauthentic(STRANGER));
            scheduler.advance(Duration.ofSeconds(5));
            links.play(unauthentic(OTHER_STRANGER));
            scheduler.advance(WireWatch.FOREIGN_FORGOTTEN_AFTER.minusSeconds(4));
            watch.conflicts();

            assertThat(log.lines()).containsExactly(
                    "WARN vip web: another CARP speaker uses vhid 7 on eth0: adverts from " + STRANGER + " (advbase 1, advskew 0)"
                            + " do not authenticate with our password and address; ucarp ignores them and this node keeps taking"
                            + " part; reported as a VHID conflict",
                    "WARN vip web: another CARP speaker uses vhid 7 on eth0: adverts from " + OTHER_STRANGER + " (advbase 1,"
                            + " advskew 0) do not authenticate with our password and address; ucarp ignores them and this node keeps"
                            + " taking part; reported as a VHID conflict",
                    "INFO vip web: no advert from " + STRANGER + " for vhid 7 since " + first + ": VHID conflict over");
        }
    }
}
