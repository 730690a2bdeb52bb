package io.carpoperator.dataplane;

import io.carpoperator.carp.AddressHooks;
import java.io.IOException;
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

    /**
     * The hooks ucarp runs: ours alone, or when the user has their own, scripts in {@code dir} ({@code stem-up.sh},
     * {@code stem-down.sh}) that run ours and then theirs.
     */
    AddressHooks.Scripts chainedTo(AddressHooks.Scripts ours, Path dir, String stem) throws IOException {
        if (isEmpty()) {
            return ours;
        }
        return new AddressHooks.Scripts(writeChained(dir.resolve(stem + "-up.sh"), "up", ours.up(), up),
                writeChained(dir.resolve(stem + "-down.sh"), "down", ours.down(), down));
    }

    private Path writeChained(Path file, String direction, Path ours, Path theirs) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\n")
                .append("# carp-operator: our ").append(direction).append(" hook owns the address, then the user's own script runs\n")
                .append(quote(ours.toString())).append(" \"$1\" \"$2\" \"$3\" || exit $?\n");
        if (theirs != null) {
            script.append(quote(theirs.toString())).append(" \"$1\" \"$2\"");
            if (xparam != null) {
                script.append(' ').append(quote(xparam));
            }
            script.append('\n');
        }
        script.append("exit 0\n");
        GracefulHandover.writeExecutable(file, script.toString());
        return file;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
