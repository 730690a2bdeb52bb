package io.carpoperator.agent;

import io.carpoperator.carp.Passfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;

/**
 * The command line of {@code agent --standalone} as typed, before any value is checked: every option of ucarp 1.5.2
 * under ucarp's own short and long names, then the watchdog's and the agent's. Values stay text here so that
 * {@link StandaloneOptions} can say, for each, which option was wrong and with what value. The descriptions are the
 * {@code --help} text, including what the agent does with each ucarp option it cannot honour.
 */
@Command(name = "carp-operator agent --standalone",
        synopsisHeading = "usage: ",
        customSynopsis = "carp-operator agent --standalone -v VHID -a VIP[/PREFIX] -p PASSWORD|-o PASSFILE [OPTIONS]",
        description = {
                "",
                "Runs ucarp for one floating IP with the isolation watchdog built in, without Kubernetes.",
                "Takes ucarp 1.5.2's command line as ucarp does: short flags alone or clustered (-P -z or -zP),",
                "values attached or apart (-k10, -k 10), long options with = or a space (--advskew=10,",
                "--advskew 10); a repeated option keeps its last value (--peer, --heartbeat and",
                "--isolation-host add up). A bad option gets one line naming it and its value, and exit code 2."},
        footer = {
                "",
                "On SIGTERM a master hands the VIP over to a backup first (client outage in the tens of",
                "milliseconds), then removes the address and exits."},
        sortOptions = false,
        usageHelpWidth = 100)
final class StandaloneCommandLine {

    // Mixins, not argument groups: a repeated option in a group would start a new group and lose the others' values.
    @Mixin(name = "ucarp")
    Ucarp ucarp = new Ucarp();

    @Mixin(name = "ucarpUnsupported")
    UcarpUnsupported ucarpUnsupported = new UcarpUnsupported();

    @Mixin(name = "watchdog")
    Watchdog watchdog = new Watchdog();

    @Mixin(name = "agent")
    Agent agent = new Agent();

    /** The headings of the option list in {@code --help}, one section per mixin, in this order. */
    private static final Map<String, String> SECTIONS = sections(
            "ucarp", "ucarp options the agent honours:",
            "ucarpUnsupported", "ucarp options the agent accepts without acting on, or refuses (and why):",
            "watchdog", "isolation watchdog (the seed's EXTERNAL, INTERNAL and HOST):",
            "agent", "agent:");

    /** picocli configured as ucarp's getopt_long behaves, as far as a command line ucarp accepts is concerned. */
    static CommandLine parser(StandaloneCommandLine flags) {
        CommandLine parser = new CommandLine(flags)
                .setPosixClusteredShortOptionsAllowed(true)
                // getopt takes the next word as the value, whatever it looks like: "-p -secret" is a password
                .setAllowOptionsAsOptionParameters(true)
                // getopt keeps the last value of a repeated option
                .setOverwrittenOptionsAllowed(true)
                // "@file" is a password or a path to getopt, never a file of more arguments
                .setExpandAtFiles(false)
                .setAbbreviatedOptionsAllowed(false)
                .setCaseInsensitiveEnumValuesAllowed(false);
        parser.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, StandaloneCommandLine::optionSections);
        return parser;
    }

    private static String optionSections(CommandLine.Help help) {
        StringBuilder text = new StringBuilder();
        SECTIONS.forEach((mixin, heading) -> {
            CommandLine.Help.Layout layout = help.createDefaultLayout();
            CommandLine.Help.IParamLabelRenderer labels = help.createDefaultParamLabelRenderer();
            help.commandSpec().mixins().get(mixin).options().stream()
                    .sorted(Comparator.comparingInt(OptionSpec::order))
                    .forEach(option -> layout.addOption(option, labels));
            text.append(System.lineSeparator()).append(heading).append(System.lineSeparator()).append(layout);
        });
        return text.toString();
    }

    private static Map<String, String> sections(String... namesAndHeadings) {
        Map<String, String> sections = new LinkedHashMap<>();
        for (int i = 0; i < namesAndHeadings.length; i += 2) {
            sections.put(namesAndHeadings[i], namesAndHeadings[i + 1]);
        }
        return sections;
    }

    static final class Ucarp {
        @Option(names = {"-i", "--interface"}, paramLabel = "IF", order = 1,
                description = "interface carrying the VIP (default: the one whose subnet contains the VIP)")
        String interfaceName;

        @Option(names = {"-s", "--srcip"}, paramLabel = "IP", order = 2,
                description = "this host's own address on IF (default: IF's primary IPv4 address)")
        String sourceAddress;

        @Option(names = {"-v", "--vhid"}, paramLabel = "ID", order = 3,
                description = "virtual host id, 1-255 (required)")
        String vhid;

        @Option(names = {"-p", "--pass"}, paramLabel = "PASSWORD", order = 4,
                description = "CARP password, at most " + Passfile.MAX_PASSWORD_BYTES + " bytes; handed to ucarp through a "
                        + "0600 passfile, never on ucarp's command line")
        String password;

        @Option(names = {"-o", "--passfile"}, paramLabel = "FILE", order = 5,
                description = "read the password from the first line of FILE instead")
        String passfile;

        @Option(names = {"-a", "--addr"}, paramLabel = "VIP[/PREFIX]", order = 6,
                description = "the floating IPv4 address (required); PREFIX defaults to -x when that is a number "
                        + "1-32, else 32")
        String address;

        @Option(names = {"-x", "--xparam"}, paramLabel = "VALUE", order = 7,
                description = "passed to your -u/-d scripts as their third argument")
        String xparam;

        @Option(names = {"-u", "--upscript"}, paramLabel = "FILE", order = 8,
                description = "your own script, run after ours has added the address (ours always runs)")
        String upScript;

        @Option(names = {"-d", "--downscript"}, paramLabel = "FILE", order = 9,
                description = "your own script, run after ours has removed the address")
        String downScript;

        @Option(names = {"-P", "--preempt"}, order = 10,
                description = "take the VIP back as soon as this host is the better master")
        boolean preempt;

        @Option(names = {"-k", "--advskew"}, paramLabel = "SKEW", order = 11,
                description = "advertisement skew 0-255, higher = less preferred (default 0)")
        String advskew;

        @Option(names = {"-b", "--advbase"}, paramLabel = "SECONDS", order = 12,
                description = "advertisement interval 1-255 (default 1)")
        String advbase;

        @Option(names = {"-z", "--shutdown"}, order = 13,
                description = "accepted; always on: the agent runs ucarp with -z, so the down hook runs when it stops")
        boolean shutdown;

        @Option(names = {"-h", "--help"}, usageHelp = true, order = 14, description = "this text")
        boolean help;
    }

    static final class UcarpUnsupported {
        @Option(names = {"-B", "--daemonize"}, order = 1,
                description = "accepted and ignored, with a warning: the agent stays in the foreground (run it under "
                        + "a service manager, e.g. deploy/systemd/carp-agent.service)")
        boolean daemonize;

        @Option(names = {"-D", "--debug"}, order = 2,
                description = "accepted and ignored, with a warning: the agent logs ucarp's state changes, warnings "
                        + "and errors, and the watchdog's verdicts, itself")
        boolean debug;

        @Option(names = {"-f", "--facility"}, paramLabel = "FACILITY", order = 3,
                description = "accepted and ignored, with a warning: the agent logs ucarp's lines on its own output "
                        + "(the journal under systemd); ucarp's own syslog copies keep facility daemon")
        String facility;

        @Option(names = {"-n", "--neutral"}, order = 4,
                description = "accepted without -d; refused with -d: the agent's down hook runs when ucarp starts as "
                        + "backup, so an address a killed run left behind is removed, and your -d script runs after it")
        boolean neutral;

        @Option(names = {"-r", "--deadratio"}, paramLabel = "RATIO", order = 5,
                description = "accepted as 3, ucarp's default; any other ratio is refused: the agent's graceful "
                        + "handover counts on every backup declaring the master dead after 3 advertisement intervals")
        String deadRatio;

        @Option(names = {"-m", "--mcast"}, paramLabel = "GROUP", order = 6,
                description = "accepted as 224.0.0.18, CARP's group and ucarp's default; any other group is refused: "
                        + "the agent's wire helper listens for adverts on 224.0.0.18")
        String multicastGroup;

        @Option(names = {"-M", "--nomcast"}, order = 7,
                description = "refused: broadcast adverts would not reach the agent's wire helper, which listens on "
                        + "224.0.0.18; every node of a VIP advertises there")
        boolean broadcast;

        @Option(names = {"-S", "--ignoreifstate"}, order = 8,
                description = "refused: the agent counts on ucarp giving the VIP up when its interface is down or has "
                        + "no carrier")
        boolean ignoreInterfaceState;
    }

    static final class Watchdog {
        @Option(names = "--peer", paramLabel = "IP", order = 1,
                description = "the other node's address on the VIP network (repeatable, or comma-separated)")
        List<String> peers = new ArrayList<>();

        @Option(names = "--heartbeat", paramLabel = "IP", order = 2,
                description = "the other node's address on another path (repeatable)")
        List<String> heartbeats = new ArrayList<>();

        @Option(names = "--isolation-host", paramLabel = "IP", order = 3,
                description = "a host that always answers on the VIP network (repeatable; default: IF's default "
                        + "gateway)")
        List<String> isolationHosts = new ArrayList<>();

        @Option(names = "--hold-limit", paramLabel = "N", order = 4,
                description = "isolated verdicts in a row before withdrawing the VIP (default 2)")
        String holdLimit;

        @Option(names = "--recover-after", paramLabel = "N", order = 5,
                description = "rounds reaching the VIP network before rejoining (default 2)")
        String recoverAfter;

        @Option(names = "--probe-interval", paramLabel = "TIME", order = 6,
                description = "probe period: milliseconds, or 250ms, 1s, 1.5s (default 1s)")
        String probeInterval;

        @Option(names = "--probes", paramLabel = "KINDS", order = 7,
                description = "icmp, arp or icmp,arp (default icmp,arp)")
        String probes;

        @Option(names = "--no-isolation", order = 8, description = "do not run the watchdog")
        boolean noIsolation;
    }

    static final class Agent {
        @Option(names = "--garp-interval", paramLabel = "TIME", order = 1,
                description = "repeat gratuitous ARP while master; 0 = only on takeover (default 10s)")
        String gratuitousArpInterval;

        @Option(names = "--health-port", paramLabel = "PORT", order = 2,
                description = "/healthz, /readyz and /metrics; 0 = off (default " + StandaloneOptions.DEFAULT_HEALTH_PORT + ")")
        String healthPort;

        @Option(names = "--run-dir", paramLabel = "DIR", order = 3,
                description = "passfile and hooks, best a tmpfs (default /run/carp)")
        String runDir;

        @Option(names = "--state-dir", paramLabel = "DIR", order = 4,
                description = "what this agent runs (0700; the VIP's configuration 0600, ucarp's pid), so the next "
                        + "start removes what a killed agent left (default /run/carp-operator); give each agent on a "
                        + "host its own")
        String stateDir;

        @Option(names = "--name", paramLabel = "NAME", order = 5,
                description = "name in logs and metrics (default vhid-VHID)")
        String name;
    }
}
