package io.carpoperator.carp;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds ucarp 1.5.2's argv. The password goes through {@code -o PASSFILE}, never {@code -p}, so it does not
 * show in {@code ps}. {@code -z} makes ucarp run the down hook on SIGTERM/SIGINT/SIGHUP/SIGQUIT.
 */
public final class UcarpCommandLine {

    private UcarpCommandLine() {
    }

    public static List<String> of(UcarpConfig config) {
        return of("ucarp", config);
    }

    public static List<String> of(String executable, UcarpConfig config) {
        List<String> argv = new ArrayList<>(List.of(
                executable,
                "-i", config.interfaceName(),
                "-s", config.sourceAddress(),
                "-v", Integer.toString(config.vhid()),
                "-o", config.passfile().toString(),
                "-a", config.virtualAddress(),
                "-b", Integer.toString(config.advbase()),
                "-k", Integer.toString(config.advskew())));
        if (config.preempt()) {
            argv.add("-P");
        }
        if (config.neutral()) {
            argv.add("-n");
        }
        argv.addAll(List.of("-z", "-u", config.upScript().toString(), "-d", config.downScript().toString()));
        if (config.xparam() != null) {
            argv.addAll(List.of("-x", config.xparam()));
        }
        return List.copyOf(argv);
    }
}
