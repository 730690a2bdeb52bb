package io.carpoperator.carp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Makes ucarp read every CARP advert the moment it arrives, so a backup takes over when CARP's timers say and not up
 * to a second later.
 *
 * <p>ucarp 1.5.2 captures with {@code pcap_open_live(..., 1000 ms)}; libpcap on Linux then hands packets over in
 * blocks, each released when the 1 s block timer fires. A backup therefore reads each advert between 0 and 1 s after
 * it arrived, at a phase fixed when ucarp started, and starts its master-down timer (3 x advbase + advskew/256) from
 * that late read: measured in the lab, adverts on the wire at .875 of each second were read at .480 of the next
 * (0.6 s late, every advert), and a failover took that much longer than plain ucarp's in the benchmark, whose backup
 * happened to start just after the master's advert. The library built from {@code src/main/c/pcap-immediate.c},
 * loaded with {@code LD_PRELOAD}, opens the capture in libpcap's immediate mode instead (read 40 us after arrival).
 *
 * <p>The build puts it on the class path when a C compiler is present (the image always has it); it is copied into
 * the agent's run directory and named in ucarp's environment. Without it ucarp runs as before, with a warning.
 * {@code CARP_AGENT_IMMEDIATE_CAPTURE=false} turns it off (to measure the difference).
 */
public final class ImmediateCapture {

    private static final Logger LOG = Logger.getLogger(ImmediateCapture.class);

    static final String LIBRARY = "libcarp-pcap-immediate.so";
    /** Set to {@code false} to run ucarp without the library. */
    public static final String SWITCH_ENV = "CARP_AGENT_IMMEDIATE_CAPTURE";

    private ImmediateCapture() {
    }

    /** Where the build puts the library for this JVM's architecture, e.g. {@code /io/carpoperator/carp/native/linux-x86_64/...}. */
    static String resourceFor(String osArch) {
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return "/io/carpoperator/carp/native/linux-" + arch + "/" + LIBRARY;
    }

    /**
     * The environment ucarp is started with: {@code LD_PRELOAD} naming the library installed into {@code directory},
     * after any preload the agent itself was given; empty when switched off or not built (logged once here).
     */
    public static Map<String, String> environment(Path directory) {
        Optional<Path> library = "false".equalsIgnoreCase(System.getenv(SWITCH_ENV)) ? Optional.empty() : install(directory);
        if (library.isEmpty()) {
            if ("false".equalsIgnoreCase(System.getenv(SWITCH_ENV))) {
                LOG.infof("ucarp captures adverts without immediate mode (%s=false): a backup may take over up to 1 s"
                        + " later than its CARP timers say", SWITCH_ENV);
            }
            return Map.of();
        }
        return Map.of("LD_PRELOAD", preload(System.getenv("LD_PRELOAD"), library.get()));
    }

    static String preload(String existing, Path library) {
        return existing == null || existing.isBlank() ? library.toString() : existing + ":" + library;
    }

    /** Copies the library out of the class path into {@code directory} (0755); empty, with a warning, when the build had no compiler. */
    static Optional<Path> install(Path directory) {
        String resource = resourceFor(System.getProperty("os.arch", ""));
        try (InputStream in = ImmediateCapture.class.getResourceAsStream(resource)) {
            if (in == null) {
                LOG.warnf("%s is not in this build (it was built without a C compiler, or for another architecture than %s):"
                        + " ucarp reads adverts up to 1 s late and a failover can take that much longer than its CARP"
                        + " timers say; build with gcc and libc6-dev, or use the image", LIBRARY, System.getProperty("os.arch"));
                return Optional.empty();
            }
            Files.createDirectories(directory);
            Path target = directory.resolve(LIBRARY);
            Path temp = Files.createTempFile(directory, "." + LIBRARY + ".", ".tmp");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            LOG.debugf("ucarp captures adverts in immediate mode (LD_PRELOAD %s)", target);
            return Optional.of(target);
        } catch (IOException e) {
            LOG.warnf("cannot install %s into %s (%s): ucarp reads adverts up to 1 s late", LIBRARY, directory, e.getMessage());
            return Optional.empty();
        }
    }
}
