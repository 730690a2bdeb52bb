package io.carpoperator.carp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImmediateCaptureTest {

    @Test
    void findsTheLibraryOfTheJvmsArchitectureUnderOneLinuxName() {
        assertEquals("/io/carpoperator/carp/native/linux-x86_64/libcarp-pcap-immediate.so", ImmediateCapture.resourceFor("amd64"));
        assertEquals("/io/carpoperator/carp/native/linux-x86_64/libcarp-pcap-immediate.so", ImmediateCapture.resourceFor("x86_64"));
        assertEquals("/io/carpoperator/carp/native/linux-aarch64/libcarp-pcap-immediate.so", ImmediateCapture.resourceFor("aarch64"));
        assertEquals("/io/carpoperator/carp/native/linux-riscv64/libcarp-pcap-immediate.so", ImmediateCapture.resourceFor("riscv64"));
    }

    @Test
    void keepsAPreloadTheAgentWasGivenAndAddsTheLibraryAfterIt() {
        Path library = Path.of("/run/carp/lib/libcarp-pcap-immediate.so");
        assertEquals("/run/carp/lib/libcarp-pcap-immediate.so", ImmediateCapture.preload(null, library));
        assertEquals("/run/carp/lib/libcarp-pcap-immediate.so", ImmediateCapture.preload(" ", library));
        assertEquals("/usr/lib/libjemalloc.so.2:/run/carp/lib/libcarp-pcap-immediate.so",
                ImmediateCapture.preload("/usr/lib/libjemalloc.so.2", library));
    }

    /** The build compiles it wherever a C compiler exists; CI installs one, so there a missing library is a failure. */
    @Test
    void installsTheBuiltLibraryExecutableIntoTheRunDirectory(@TempDir Path dir) throws IOException {
        String resource = ImmediateCapture.resourceFor(System.getProperty("os.arch"));
        boolean built = ImmediateCapture.class.getResource(resource) != null;
        if (System.getenv("CI") == null) {
            assumeTrue(built, "the build had no C compiler, so " + resource + " is not on the class path");
        }
        assertTrue(built, resource + " is missing from the build although CI installs gcc (see src/main/c/build-native.sh)");

        Optional<Path> installed = ImmediateCapture.install(dir.resolve("lib"));

        assertTrue(installed.isPresent());
        assertEquals(dir.resolve("lib").resolve("libcarp-pcap-immediate.so"), installed.get());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed.get())));
        try (InputStream in = ImmediateCapture.class.getResourceAsStream(resource)) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(installed.get()));
        }
        assertEquals(1, Files.list(dir.resolve("lib")).count(), "no temporary file left behind");
    }
}
