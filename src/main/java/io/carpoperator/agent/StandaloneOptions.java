package io.carpoperator.agent;

import io.carpoperator.dataplane.UserHooks;
import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.NodeStateJournal;
import io.carpoperator.carp.Passfile;
import io.carpoperator.watchdog.ProbeKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of {@code agent --standalone}: ucarp's own flags as the seed uses them, so a seed command line
 * works as it is, plus the watchdog's. Every error names the flag and the value; see {@link #USAGE}.
 */
public record StandaloneOptions(
        String interfaceName,
        String sourceAddress,
        int vhid,
        String password,
        String address,
        int prefixLength,
        Path upScript,
        Path downScript,
        String xparam,
        boolean preempt,
        int advbase,
        int advskew,
        List<String> peers,
        List<String> heartbeats,
        List<String> isolationHosts,
        int holdLimit,
        int recoverAfter,
        Duration probeInterval,
        boolean isolationEnabled,
        Set<ProbeKind> probes,
        Duration gratuitousArpInterval,
        int healthPort,
        Path runDir,
        Path stateDir,
        String name,
        List<String> warnings) {

    public static final int DEFAULT_HEALTH_PORT = 9181;

    public static final String USAGE = """
            usage: carp-operator agent --standalone -v VHID -a VIP[/PREFIX] (-p PASSWORD | -o PASSFILE) [OPTIONS]

            Runs ucarp for one floating IP with the isolation watchdog built in, without Kubernetes. ucarp's flags
            are accepted as the seed's command lines use them (long forms like --interface=eth0 too).

            ucarp flags:
              -i, --interface IF      interface carrying the VIP (default: the one whose subnet contains VIP)
              -s, --srcip IP          this host's own address on IF (default: IF's primary IPv4 address)
              -v, --vhid ID           virtual host id, 1-255 (required)
              -p, --pass PASSWORD     CARP password, at most 19 bytes; handed to ucarp through a 0600 passfile,
                                      never on ucarp's command line
              -o, --passfile FILE     read the password from the first line of FILE instead
              -a, --addr VIP[/PREFIX] the floating IPv4 address (required); PREFIX defaults to -x when that is a
                                      number 1-32, else 32
              -x, --xparam VALUE      passed to your -u/-d scripts as their third argument
              -u, --upscript FILE     your own script, run after ours has added the address (ours always runs)
              -d, --downscript FILE   your own script, run after ours has removed the address
              -P, --preempt           take the VIP back as soon as this host is the better master
              -k, --advskew SKEW      advertisement skew 0-255, higher = less preferred (default 0)
              -b, --advbase SECONDS   advertisement interval 1-255 (default 1)
              -z, --shutdown          accepted; the down hook always runs on shutdown
              -B, --daemonize         accepted and ignored: the agent stays in the foreground (run it under a
                                      service manager)

            isolation watchdog (the seed's EXTERNAL, INTERNAL and HOST):
              --peer IP               the other node's address on the VIP network (repeatable)
              --heartbeat IP          the other node's address on another path (repeatable)
              --isolation-host IP     a host that always answers on the VIP network (repeatable; default: IF's
                                      default gateway)
              --hold-limit N          isolated verdicts in a row before withdrawing the VIP (default 2)
              --recover-after N       rounds reaching the VIP network before rejoining (default 2)
              --probe-interval TIME   probe period: milliseconds, or 250ms, 1s, 1.5s (default 1s)
              --probes KINDS          icmp, arp or icmp,arp (default icmp,arp)
              --no-isolation          do not run the watchdog

            agent:
              --garp-interval TIME    repeat gratuitous ARP while master; 0 = only on takeover (default 10s)
              --health-port PORT      /healthz, /readyz and /metrics; 0 = off (default %d)
              --run-dir DIR           passfile and hooks, best a tmpfs (default /run/carp)
              --state-dir DIR         what this agent runs (0700; the VIP's configuration 0600, ucarp's pid), so
                                      the next start removes what a killed agent left (default
                                      /run/carp-operator); give each agent on a host its own
              --name NAME             name in logs and metrics (default vhid-VHID)
              -h, --help              this text

            On SIGTERM a master hands the VIP over to a backup first (client outage in the tens of milliseconds),
            then removes the address and exits.
            """.formatted(DEFAULT_HEALTH_PORT);

    /** A bad command line; the message is the one line to print. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Marker result for {@code --help}. */
    public static final class HelpRequested extends Exception {
        public HelpRequested() {
            super("help requested");
        }
    }

    private enum Flag {
        INTERFACE('i', "interface", true), SRCIP('s', "srcip", true), VHID('v', "vhid", true), PASS('p', "pass", true),
        PASSFILE('o', "passfile", true), ADDR('a', "addr", true), XPARAM('x', "xparam", true),
        UPSCRIPT('u', "upscript", true), DOWNSCRIPT('d', "downscript", true), PREEMPT('P', "preempt", false),
        ADVSKEW('k', "advskew", true), ADVBASE('b', "advbase", true), SHUTDOWN('z', "shutdown", false),
        DAEMONIZE('B', "daemonize", false), HELP('h', "help", false),
        PEER('\0', "peer", true), HEARTBEAT('\0', "heartbeat", true), ISOLATION_HOST('\0', "isolation-host", true),
        HOLD_LIMIT('\0', "hold-limit", true), RECOVER_AFTER('\0', "recover-after", true),
        PROBE_INTERVAL('\0', "probe-interval", true), PROBES('\0', "probes", true), NO_ISOLATION('\0', "no-isolation", false),
        GARP_INTERVAL('\0', "garp-interval", true), HEALTH_PORT('\0', "health-port", true), RUN_DIR('\0', "run-dir", true),
        STATE_DIR('\0', "state-dir", true), NAME('\0', "name", true);

        final char shortName;
        final String longName;
        final boolean takesValue;

        Flag(char shortName, String longName, boolean takesValue) {
            this.shortName = shortName;
            this.longName = longName;
            this.takesValue = takesValue;
        }
    }

    private static final Map<String, Flag> BY_NAME = new LinkedHashMap<>();

    static {
        for (Flag flag : Flag.values()) {
            BY_NAME.put("--" + flag.longName, flag);
            if (flag.shortName != '\0') {
                BY_NAME.put("-" + flag.shortName, flag);
            }
        }
    }

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)?");
    private static final Pattern IFNAME = Pattern.compile("[^/\\s]{1,15}");

    /** Parses {@code args} (what follows {@code --standalone}). */
    public static StandaloneOptions parse(String... args) throws UsageException, HelpRequested {
        Map<Flag, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name;
            String inline = null;
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                name = eq < 0 ? arg : arg.substring(0, eq);
                inline = eq < 0 ? null : arg.substring(eq + 1);
            } else if (arg.startsWith("-") && arg.length() >= 2) {
                name = arg.substring(0, 2);
                inline = arg.length() > 2 ? arg.substring(2) : null;
            } else {
                throw new UsageException("agent --standalone: unexpected argument '" + arg + "' (flags start with - or --)");
            }
            Flag flag = BY_NAME.get(name);
            if (flag == null) {
                throw new UsageException("agent --standalone: unknown flag " + name + " (see --help)");
            }
            String value = null;
            if (flag.takesValue) {
                if (inline != null) {
                    value = inline;
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException("agent --standalone: " + name + " needs a value");
                }
            } else if (inline != null) {
                throw new UsageException("agent --standalone: " + name + " takes no value, got '" + inline + "'");
            }
            values.computeIfAbsent(flag, f -> new ArrayList<>()).add(value);
        }
        if (values.containsKey(Flag.HELP)) {
            throw new HelpRequested();
        }
        return build(values);
    }

    private static StandaloneOptions build(Map<Flag, List<String>> values) throws UsageException {
        List<String> warnings = new ArrayList<>();
        String iface = last(values, Flag.INTERFACE);
        if (iface != null && !IFNAME.matcher(iface).matches()) {
            throw bad("-i/--interface", iface, "an interface name of at most 15 characters without '/' or spaces");
        }
        String source = last(values, Flag.SRCIP);
        if (source != null) {
            ipv4("-s/--srcip", source);
        }
        String vhidText = required(values, Flag.VHID, "-v/--vhid");
        int vhid = integer("-v/--vhid", vhidText, 1, 255);

        String password = password(values);
        String xparam = last(values, Flag.XPARAM);
        String addr = required(values, Flag.ADDR, "-a/--addr");
        String[] parts = addr.split("/", -1);
        if (parts.length > 2) {
            throw bad("-a/--addr", addr, "an IPv4 address with an optional /PREFIX, like 198.51.100.10/24");
        }
        String address = ipv4("-a/--addr", parts[0]);
        int prefix = 32;
        if (parts.length == 2) {
            prefix = integer("-a/--addr", addr, parts[1], 1, 32);
        } else if (xparam != null && xparam.matches("\\d{1,2}") && Integer.parseInt(xparam) >= 1 && Integer.parseInt(xparam) <= 32) {
            prefix = Integer.parseInt(xparam);
        }
        if (address.equals(source)) {
            throw bad("-a/--addr", addr, "an address other than -s/--srcip");
        }

        Path up = path(values, Flag.UPSCRIPT, "-u/--upscript");
        Path down = path(values, Flag.DOWNSCRIPT, "-d/--downscript");
        int advskew = integer("-k/--advskew", last(values, Flag.ADVSKEW, "0"), 0, 255);
        int advbase = integer("-b/--advbase", last(values, Flag.ADVBASE, "1"), 1, 255);
        if (values.containsKey(Flag.DAEMONIZE)) {
            warnings.add("--daemonize is ignored: the agent stays in the foreground, run it under a service manager");
        }

        List<String> peers = addresses(values, Flag.PEER, "--peer");
        List<String> heartbeats = addresses(values, Flag.HEARTBEAT, "--heartbeat");
        List<String> isolationHosts = addresses(values, Flag.ISOLATION_HOST, "--isolation-host");
        int holdLimit = integer("--hold-limit", last(values, Flag.HOLD_LIMIT, "2"), 1, 1000);
        int recoverAfter = integer("--recover-after", last(values, Flag.RECOVER_AFTER, "2"), 1, 1000);
        Duration probeInterval = duration("--probe-interval", last(values, Flag.PROBE_INTERVAL, "1s"), true);
        if (probeInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw bad("--probe-interval", last(values, Flag.PROBE_INTERVAL), "at least 100ms");
        }
        Set<ProbeKind> probes = probeKinds(last(values, Flag.PROBES, "icmp,arp"));
        Duration garp = duration("--garp-interval", last(values, Flag.GARP_INTERVAL, "10s"), false);
        int healthPort = integer("--health-port", last(values, Flag.HEALTH_PORT, Integer.toString(DEFAULT_HEALTH_PORT)), 0, 65535);
        Path runDir = Path.of(last(values, Flag.RUN_DIR, DataPlaneEnvironment.DEFAULT_RUN_DIR.toString()));
        Path stateDir = Path.of(last(values, Flag.STATE_DIR, NodeStateJournal.DEFAULT_DIRECTORY.toString()));
        String name = last(values, Flag.NAME, "vhid-" + vhid);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw bad("--name", name, "letters, digits, '.', '_' or '-', at most 63 characters");
        }
        return new StandaloneOptions(iface, source, vhid, password, address, prefix, up, down, xparam,
                values.containsKey(Flag.PREEMPT), advbase, advskew, peers, heartbeats, isolationHosts, holdLimit,
                recoverAfter, probeInterval, !values.containsKey(Flag.NO_ISOLATION), probes, garp, healthPort, runDir,
                stateDir, name, List.copyOf(warnings));
    }

    /** The data plane's settings; interface and source stay null when not given, so the runner discovers them. */
    public VipSettings toSettings() {
        return new VipSettings(name, address, prefixLength, interfaceName, sourceAddress, vhid, preempt, advbase, advskew,
                password, isolationEnabled, peers, heartbeats, isolationHosts, probes, probeInterval, holdLimit,
                recoverAfter, gratuitousArpInterval);
    }

    public UserHooks userHooks() {
        return new UserHooks(upScript, downScript, xparam);
    }

    @Override
    public String toString() {
        // never print the password
        return "StandaloneOptions[vip " + address + "/" + prefixLength + " vhid " + vhid + " on "
                + (interfaceName == null ? "(auto)" : interfaceName) + "]";
    }

    private static String password(Map<Flag, List<String>> values) throws UsageException {
        String inline = last(values, Flag.PASS);
        String file = last(values, Flag.PASSFILE);
        if (inline != null && file != null) {
            throw new UsageException("agent --standalone: give either -p/--pass or -o/--passfile, not both");
        }
        String password;
        String flag;
        if (file != null) {
            flag = "-o/--passfile";
            try {
                List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
                password = lines.isEmpty() ? "" : lines.get(0);
            } catch (IOException | RuntimeException e) {
                throw new UsageException("agent --standalone: -o/--passfile: cannot read '" + file + "': " + e.getMessage());
            }
        } else if (inline != null) {
            flag = "-p/--pass";
            password = inline;
        } else {
            throw new UsageException("agent --standalone: a password is required: -p/--pass or -o/--passfile");
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > Passfile.MAX_PASSWORD_BYTES) {
            // the value is a secret: name its length, never the value
            throw new UsageException("agent --standalone: " + flag + ": expected 1-" + Passfile.MAX_PASSWORD_BYTES
                    + " bytes (ucarp limit), got " + bytes);
        }
        return password;
    }

    private static Set<ProbeKind> probeKinds(String text) throws UsageException {
        Set<ProbeKind> kinds = EnumSet.noneOf(ProbeKind.class);
        for (String part : text.split(",")) {
            switch (part.strip().toLowerCase(Locale.ROOT)) {
                case "icmp" -> kinds.add(ProbeKind.ICMP);
                case "arp" -> kinds.add(ProbeKind.ARP);
                default -> throw bad("--probes", text, "icmp, arp or icmp,arp");
            }
        }
        return kinds;
    }

    /** Plain milliseconds, or a number with ms or s. */
    static Duration duration(String flag, String text, boolean positive) throws UsageException {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw bad(flag, text, "milliseconds or a duration like 250ms, 1s, 1.5s");
        }
        double number = Double.parseDouble(m.group(1));
        double millis = "s".equals(m.group(2)) ? number * 1000 : number;
        if (millis != Math.floor(millis) || millis > Integer.MAX_VALUE) {
            throw bad(flag, text, "a whole number of milliseconds");
        }
        if (positive && millis <= 0) {
            throw bad(flag, text, "a positive duration");
        }
        return Duration.ofMillis((long) millis);
    }

    private static List<String> addresses(Map<Flag, List<String>> values, Flag flag, String label) throws UsageException {
        List<String> result = new ArrayList<>();
        for (String value : values.getOrDefault(flag, List.of())) {
            for (String part : value.split(",")) {
                result.add(ipv4(label, part.strip()));
            }
        }
        return List.copyOf(result);
    }

    private static Path path(Map<Flag, List<String>> values, Flag flag, String label) throws UsageException {
        String value = last(values, flag);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw bad(label, value, "an executable file");
        }
        return path.toAbsolutePath();
    }

    private static String ipv4(String flag, String value) throws UsageException {
        Matcher m = IPV4.matcher(value);
        if (!m.matches()) {
            throw bad(flag, value, "an IPv4 address like 198.51.100.10");
        }
        for (int g = 1; g <= 4; g++) {
            if (Integer.parseInt(m.group(g)) > 255) {
                throw bad(flag, value, "an IPv4 address like 198.51.100.10");
            }
        }
        return value;
    }

    private static int integer(String flag, String value, int min, int max) throws UsageException {
        return integer(flag, value, value, min, max);
    }

    private static int integer(String flag, String shown, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(flag, shown, "a whole number from " + min + " to " + max);
    }

    private static String required(Map<Flag, List<String>> values, Flag flag, String label) throws UsageException {
        String value = last(values, flag);
        if (value == null) {
            throw new UsageException("agent --standalone: " + label + " is required");
        }
        return value;
    }

    private static String last(Map<Flag, List<String>> values, Flag flag) {
        List<String> list = values.get(flag);
        return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
    }

    private static String last(Map<Flag, List<String>> values, Flag flag, String fallback) {
        String value = last(values, flag);
        return value == null ? fallback : value;
    }

    private static UsageException bad(String flag, String value, String expected) {
        return new UsageException("agent --standalone: " + flag + ": expected " + expected + ", got '" + value + "'");
    }
}
