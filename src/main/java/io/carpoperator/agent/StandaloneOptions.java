package io.carpoperator.agent;

import io.carpoperator.dataplane.UserHooks;
import io.carpoperator.dataplane.VipSettings;
import io.carpoperator.dataplane.DataPlaneEnvironment;
import io.carpoperator.dataplane.NodeStateJournal;
import io.carpoperator.api.Ipv4Cidr;
import io.carpoperator.carp.Passfile;
import io.carpoperator.watchdog.ProbeKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The command line of {@code agent --standalone}, checked: ucarp 1.5.2's options as ucarp itself takes them (so the
 * seed's command line, and any other ucarp accepts, works as it is), plus the watchdog's and the agent's. Parsed by
 * picocli into {@link StandaloneCommandLine}; every error names the option and the value; see {@link #usage()}.
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

    /** ucarp's own multicast group for CARP adverts, the one the agent's wire helper listens on. */
    static final String CARP_MULTICAST_GROUP = "224.0.0.18";
    /** ucarp's default: a master is dead after this many of its advertisement intervals without an advert. */
    static final int UCARP_DEAD_RATIO = 3;

    /** The {@code --help} text, generated from the options. */
    public static String usage() {
        return StandaloneCommandLine.parser(new StandaloneCommandLine()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

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

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)?");
    private static final Pattern IFNAME = Pattern.compile("[^/\\s]{1,15}");

    /** Parses {@code args} (what follows {@code --standalone}) as ucarp's getopt would, then checks every value. */
    public static StandaloneOptions parse(String... args) throws UsageException, HelpRequested {
        StandaloneCommandLine typed = new StandaloneCommandLine();
        CommandLine parser = StandaloneCommandLine.parser(typed);
        try {
            parser.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageException("agent --standalone: " + syntaxError(e));
        }
        if (parser.isUsageHelpRequested()) {
            throw new HelpRequested();
        }
        return build(typed);
    }

    /** picocli's complaint about the shape of the command line, said the way the value checks below say theirs. */
    private static String syntaxError(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            if (!arg.startsWith("-") || arg.equals("-")) {
                return "unexpected argument '" + arg + "' (options start with - or --)";
            }
            int eq = arg.indexOf('=');
            return "unknown option " + (arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg) + " (see --help)";
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof CommandLine.Model.OptionSpec option) {
            return label(option) + " needs a value";
        }
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option && option.arity().max() == 0) {
            return label(option) + " takes no value, got '" + e.getValue() + "'";
        }
        return e.getMessage();
    }

    private static String label(CommandLine.Model.OptionSpec option) {
        return String.join("/", option.names());
    }

    private static StandaloneOptions build(StandaloneCommandLine typed) throws UsageException {
        StandaloneCommandLine.Ucarp ucarp = typed.ucarp;
        List<String> warnings = new ArrayList<>();
        String iface = ucarp.interfaceName;
        if (iface != null && !IFNAME.matcher(iface).matches()) {
            throw bad("-i/--interface", iface, "an interface name of at most 15 characters without '/' or spaces");
        }
        String source = ucarp.sourceAddress;
        if (source != null) {
            ipv4("-s/--srcip", source);
        }
        int vhid = integer("-v/--vhid", required(ucarp.vhid, "-v/--vhid"), 1, 255);

        String password = password(ucarp.password, ucarp.passfile);
        String xparam = ucarp.xparam;
        String addr = required(ucarp.address, "-a/--addr");
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

        Path up = executable(ucarp.upScript, "-u/--upscript");
        Path down = executable(ucarp.downScript, "-d/--downscript");
        int advskew = integer("-k/--advskew", orDefault(ucarp.advskew, "0"), 0, 255);
        int advbase = integer("-b/--advbase", orDefault(ucarp.advbase, "1"), 1, 255);
        warnings.addAll(unsupportedUcarpOptions(typed.ucarpUnsupported, down != null));

        StandaloneCommandLine.Watchdog watchdog = typed.watchdog;
        List<String> peers = addresses(watchdog.peers, "--peer");
        List<String> heartbeats = addresses(watchdog.heartbeats, "--heartbeat");
        List<String> isolationHosts = addresses(watchdog.isolationHosts, "--isolation-host");
        int holdLimit = integer("--hold-limit", orDefault(watchdog.holdLimit, "2"), 1, 1000);
        int recoverAfter = integer("--recover-after", orDefault(watchdog.recoverAfter, "2"), 1, 1000);
        Duration probeInterval = duration("--probe-interval", orDefault(watchdog.probeInterval, "1s"), true);
        if (probeInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw bad("--probe-interval", watchdog.probeInterval, "at least 100ms");
        }
        Set<ProbeKind> probes = probeKinds(orDefault(watchdog.probes, "icmp,arp"));

        StandaloneCommandLine.Agent agent = typed.agent;
        Duration garp = duration("--garp-interval", orDefault(agent.gratuitousArpInterval, "10s"), false);
        int healthPort = integer("--health-port", orDefault(agent.healthPort, Integer.toString(DEFAULT_HEALTH_PORT)), 0, 65535);
        Path runDir = Path.of(orDefault(agent.runDir, DataPlaneEnvironment.DEFAULT_RUN_DIR.toString()));
        Path stateDir = Path.of(orDefault(agent.stateDir, NodeStateJournal.DEFAULT_DIRECTORY.toString()));
        String name = orDefault(agent.name, "vhid-" + vhid);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw bad("--name", name, "letters, digits, '.', '_' or '-', at most 63 characters");
        }
        return new StandaloneOptions(iface, source, vhid, password, address, prefix, up, down, xparam,
                ucarp.preempt, advbase, advskew, peers, heartbeats, isolationHosts, holdLimit,
                recoverAfter, probeInterval, !watchdog.noIsolation, probes, garp, healthPort, runDir,
                stateDir, name, List.copyOf(warnings));
    }

    /**
     * ucarp's options the agent does not act on: the warnings for those it accepts, or the refusal of one that would
     * make ucarp behave otherwise than the agent counts on. The same decisions are in {@code --help}.
     */
    private static List<String> unsupportedUcarpOptions(StandaloneCommandLine.UcarpUnsupported options, boolean ownDownScript)
            throws UsageException {
        if (options.broadcast) {
            throw refused("-M/--nomcast", "broadcast adverts would not reach the agent's wire helper, which listens on "
                    + CARP_MULTICAST_GROUP + "; run every node of the VIP without -M");
        }
        if (options.ignoreInterfaceState) {
            throw refused("-S/--ignoreifstate", "the agent counts on ucarp giving the VIP up when its interface is down "
                    + "or has no carrier; run without -S");
        }
        if (options.neutral && ownDownScript) {
            throw refused("-n/--neutral", "with -d/--downscript: the agent's down hook runs when ucarp starts as backup, "
                    + "removing an address a killed run left behind, and your -d script runs after it; run without -n "
                    + "and make your script safe to run at start");
        }
        if (options.multicastGroup != null && !options.multicastGroup.equals(CARP_MULTICAST_GROUP)) {
            throw onlyDefault("-m/--mcast", options.multicastGroup, CARP_MULTICAST_GROUP + ", CARP's group,",
                    "the agent's wire helper listens for adverts there");
        }
        if (options.deadRatio != null && integer("-r/--deadratio", options.deadRatio, 1, 255) != UCARP_DEAD_RATIO) {
            throw onlyDefault("-r/--deadratio", options.deadRatio, UCARP_DEAD_RATIO + ", ucarp's default,",
                    "the agent's graceful handover counts on every backup declaring the master dead after "
                            + UCARP_DEAD_RATIO + " advertisement intervals");
        }
        List<String> warnings = new ArrayList<>();
        if (options.daemonize) {
            warnings.add("--daemonize is ignored: the agent stays in the foreground, run it under a service manager");
        }
        if (options.debug) {
            warnings.add("--debug is ignored: the agent logs ucarp's state changes, warnings and errors, and the "
                    + "watchdog's verdicts, itself");
        }
        if (options.facility != null) {
            warnings.add("--facility " + options.facility + " is ignored: the agent logs ucarp's lines on its own "
                    + "output; ucarp's own syslog copies keep facility daemon");
        }
        return warnings;
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

    private static String password(String inline, String file) throws UsageException {
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

    private static List<String> addresses(List<String> values, String label) throws UsageException {
        List<String> result = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                result.add(ipv4(label, part.strip()));
            }
        }
        return List.copyOf(result);
    }

    private static Path executable(String value, String label) throws UsageException {
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw bad(label, value, "an executable file");
        }
        return path.toAbsolutePath();
    }

    private static String ipv4(String option, String value) throws UsageException {
        Optional<String> problem = Ipv4Cidr.addressProblem(value);
        if (problem.isPresent()) {
            throw bad(option, value, "an IPv4 address like 198.51.100.10", problem.get());
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

    private static String required(String value, String label) throws UsageException {
        if (value == null) {
            throw new UsageException("agent --standalone: " + label + " is required");
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static UsageException bad(String option, String value, String expected) {
        return new UsageException("agent --standalone: " + option + ": expected " + expected + ", got '" + value + "'");
    }

    private static UsageException bad(String option, String value, String expected, String problem) {
        return new UsageException("agent --standalone: " + option + ": expected " + expected + ", got '" + value + "' ("
                + problem + ")");
    }

    private static UsageException onlyDefault(String option, String value, String supported, String why) {
        return new UsageException("agent --standalone: " + option + ": only " + supported + " is supported, got '" + value
                + "': " + why);
    }

    private static UsageException refused(String option, String why) {
        return new UsageException("agent --standalone: " + option + " is not supported: " + why);
    }
}
