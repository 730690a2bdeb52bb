package io.carpoperator.dataplane;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.carp.OwnerOnlyFile;
import io.carpoperator.carp.UcarpInstance;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * What this node's agent runs, kept on the host so that a run killed without cleanup (OOM kill, SIGKILL) leaves enough
 * behind for the next run to undo it: per VIP the last configuration it started (with the password, so 0600) and per
 * ucarp its pid and start time. One directory (0700) per agent; nothing outside it is ever read or swept, so agents with
 * different directories on one host keep apart.
 *
 * <p>Recording never stops a data plane: a file that cannot be written is logged and the VIP runs anyway. A file that
 * cannot be read is logged and skipped.
 */
public final class NodeStateJournal {
    public static final Path DEFAULT_DIRECTORY = Path.of("/run/carp-operator");
    private static final Logger LOG = Logger.getLogger(NodeStateJournal.class);
    private static final int FORMAT = 1;
    private static final Pattern VIP_FILE = Pattern.compile("vip-([A-Za-z0-9][A-Za-z0-9._-]{0,252})\\.json");
    private static final Pattern UCARP_FILE = Pattern.compile("ucarp-(\\d{1,19})\\.json");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What a previous run left: read once when the journal is opened. */
    public record Contents(List<RecordedVip> vips, List<RecordedUcarp> ucarps) {
        public Contents {
            vips = List.copyOf(vips);
            ucarps = List.copyOf(ucarps);
        }
    }

    private final Path directory;
    private final Clock clock;
    private final Contents previousRun;
    private final Map<String, RecordedVip> vips = new HashMap<>();
    private final Set<String> recordedThisRun = new HashSet<>();

    private NodeStateJournal(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
        this.previousRun = readAll();
        previousRun.vips().forEach(vip -> vips.put(vip.name(), vip));
    }

    /** Creates the directory (0700) if needed, tightens its mode if not, and reads what a previous run recorded. */
    public static NodeStateJournal open(Path directory, Clock clock) throws IOException {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        return new NodeStateJournal(directory, clock);
    }

    public Path directory() {
        return directory;
    }

    public Contents previousRun() {
        return previousRun;
    }

    /** Records the VIP's configuration before its data plane starts; an unchanged one keeps its first recording time. */
    public synchronized void recordVip(String node, VipSettings settings) {
        String name = settings.name();
        if (!VIP_FILE.matcher(vipFileName(name)).matches()) {
            LOG.warnf("VIP %s: not recorded in %s: the name cannot be a file name", name, directory);
            return;
        }
        recordedThisRun.add(name);
        RecordedVip known = vips.get(name);
        if (known != null && node.equals(known.node()) && settings.equals(known.settings())) {
            return;
        }
        RecordedVip vip = new RecordedVip(name, node, clock.instant(), settings.address(), settings.prefixLength(), settings);
        try {
            ObjectNode tree = JSON.valueToTree(vip);
            tree.put("format", FORMAT);
            OwnerOnlyFile.write(directory.resolve(vipFileName(name)), JSON.writeValueAsBytes(tree));
            vips.put(name, vip);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("VIP %s: cannot record its configuration in %s (%s); a crash would leave its address behind", name,
                    directory, e.toString());
        }
    }

    /** The VIP stopped for good (deleted, deselected, replaced): nothing of it is left to sweep or to serve again. */
    public synchronized void forgetVip(String name) {
        recordedThisRun.remove(name);
        vips.remove(name);
        delete(vipFileName(name));
    }

    /** Forgets every VIP not recorded by this run: once the API server has answered, those are not wanted here. */
    public synchronized void forgetVipsNotRecordedThisRun() {
        for (String name : fileNames(VIP_FILE)) {
            if (!recordedThisRun.contains(name)) {
                LOG.infof("VIP %s: forgetting the configuration a previous run recorded: it does not run here any more", name);
                vips.remove(name);
                delete(vipFileName(name));
            }
        }
    }

    public synchronized void recordUcarp(RecordedUcarp ucarp) {
        try {
            OwnerOnlyFile.write(directory.resolve(ucarpFileName(ucarp.pid())), JSON.writeValueAsBytes(ucarp));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: cannot record ucarp pid %d in %s (%s); a crash would leave it running", ucarp.label(), ucarp.pid(),
                    directory, e.toString());
        }
    }

    public synchronized void forgetUcarp(long pid) {
        delete(ucarpFileName(pid));
    }

    /** Records every ucarp the launcher starts, and forgets it when it exits. */
    public UcarpInstance.Launcher recordingUcarps(UcarpInstance.Launcher launcher, HostProcesses processes) {
        return new RecordingLauncher(launcher, this, processes);
    }

    /** The environment with a launcher that records every ucarp it starts. */
    public DataPlaneEnvironment recordingUcarps(DataPlaneEnvironment env, HostProcesses processes) {
        return env.withLauncher(recordingUcarps(env.launcher(), processes));
    }

    /** Records each VIP's configuration as its data plane starts, and forgets it once it stopped for good. */
    public VipDataPlaneFactory recordingVips(VipDataPlaneFactory dataPlanes, String node) {
        return new RecordingDataPlanes(dataPlanes, this, node);
    }

    private Contents readAll() {
        List<RecordedVip> readVips = new ArrayList<>();
        for (String name : fileNames(VIP_FILE)) {
            Path file = directory.resolve(vipFileName(name));
            try {
                readVips.add(readVip(name, JSON.readTree(file.toFile())));
            } catch (IOException | RuntimeException e) {
                LOG.warnf("node state: cannot read %s (%s); skipped", file, oneLine(e));
            }
        }
        List<RecordedUcarp> readUcarps = new ArrayList<>();
        for (String pid : fileNames(UCARP_FILE)) {
            Path file = directory.resolve(ucarpFileName(Long.parseLong(pid)));
            try {
                RecordedUcarp ucarp = JSON.readValue(file.toFile(), RecordedUcarp.class);
                if (ucarp.pid() != Long.parseLong(pid) || ucarp.startTime() <= 0) {
                    throw new IOException("pid or start time does not match the file name");
                }
                readUcarps.add(ucarp);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("node state: cannot read %s (%s); skipped", file, oneLine(e));
            }
        }
        return new Contents(readVips, readUcarps);
    }

    /** The address is read on its own, so that a configuration another version wrote is still swept. */
    private static RecordedVip readVip(String name, JsonNode tree) throws IOException {
        if (!(tree instanceof ObjectNode) || !tree.path("address").isTextual() || !tree.path("prefixLength").canConvertToInt()) {
            throw new IOException("no address and prefixLength");
        }
        String address = tree.get("address").asText();
        int prefixLength = tree.get("prefixLength").asInt();
        if (!Ipv4Cidr.isAddress(address) || prefixLength < 0 || prefixLength > 32) {
            throw new IOException("address " + address + "/" + prefixLength + " is not an IPv4 address with prefix");
        }
        String node = tree.path("node").asText("");
        Instant recordedAt = tree.hasNonNull("recordedAt") ? Instant.parse(tree.get("recordedAt").asText()) : null;
        VipSettings settings = null;
        if (tree.path("format").asInt() == FORMAT) {
            try {
                settings = JSON.treeToValue(tree.get("settings"), VipSettings.class);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("node state: VIP %s: its recorded configuration cannot be read (%s); its address is swept, it is not "
                        + "served from the record", name, oneLine(e));
            }
        }
        if (settings != null && !name.equals(settings.name())) {
            settings = null;
        }
        return new RecordedVip(name, node, recordedAt, address, prefixLength, settings);
    }

    private List<String> fileNames(Pattern pattern) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher matcher = pattern.matcher(file.getFileName().toString());
                if (matcher.matches() && Files.isRegularFile(file)) {
                    names.add(matcher.group(1));
                }
            }
        } catch (IOException e) {
            LOG.warnf("node state: cannot list %s: %s", directory, e.toString());
        }
        names.sort(null);
        return names;
    }

    private void delete(String fileName) {
        try {
            Files.deleteIfExists(directory.resolve(fileName));
        } catch (IOException e) {
            LOG.warnf("node state: cannot delete %s: %s", directory.resolve(fileName), e.toString());
        }
    }

    private static String vipFileName(String name) {
        return "vip-" + name + ".json";
    }

    private static String ucarpFileName(long pid) {
        return "ucarp-" + pid + ".json";
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
