package io.carpoperator.carp;

/** What a ucarp log line means. */
public sealed interface UcarpEvent {

    /** "Switching to state: MASTER" (BACKUP and MASTER at WARNING level, INIT at INFO). */
    record StateChanged(UcarpState state) implements UcarpEvent {
    }

    /**
     * "Bad digest - md2=[…] md=[…] - Check vhid, password and virtual IP address": an advert for our vhid
     * whose HMAC does not match, i.e. another node uses a different password or virtual address.
     */
    record AuthenticationFailed(String message) implements UcarpEvent {
    }

    /**
     * "exiting: pfds[0].revents = 8" (the interface went down or lost carrier for good) or
     * "exiting: poll() error: …": ucarp leaves its loop and exits; it never rejoins on its own.
     */
    record Exiting(String reason) implements UcarpEvent {
    }

    /** "Spawning [SCRIPT IF VIP XPARAM]": ucarp runs a hook and blocks until it returns. */
    record HookSpawned(String command) implements UcarpEvent {
    }

    /** Any other line; {@code level} is INFO, NOTICE, WARNING, ERROR, DEBUG, or empty for hook output. */
    record Other(String level, String message) implements UcarpEvent {
        public boolean isError() {
            return "ERROR".equals(level);
        }
    }
}
