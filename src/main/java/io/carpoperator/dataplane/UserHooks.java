package io.carpoperator.dataplane;

import java.nio.file.Path;

/**
 * Standalone only: the user's own ucarp {@code -u}/{@code -d} scripts. They run in addition to ours, after ours,
 * with ucarp's arguments {@code INTERFACE VIP [XPARAM]} (the user's {@code -x} value, if any): our hooks own the
 * address and gratuitous ARP, theirs can keep doing whatever else they did (routes, services, notifications).
 *
 * @param up     run after the address was added, or null
 * @param down   run after the address was removed, or null
 * @param xparam passed to them as the third argument, or null
 */
public record UserHooks(Path up, Path down, String xparam) {

    public static final UserHooks NONE = new UserHooks(null, null, null);

    public boolean isEmpty() {
        return up == null && down == null;
    }
}
