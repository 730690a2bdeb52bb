package io.carpoperator.carp;

import io.carpoperator.api.Ipv4Cidr;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * Reads and changes IPv4 addresses with iproute2 and sends gratuitous ARP with iputils arping, outside
 * ucarp's hooks: a SIGKILLed ucarp leaves its VIP configured, so the agent removes it itself.
 */
public final class AddressControl {

    private static final Logger LOG = Logger.getLogger(AddressControl.class);

    /** One line of {@code ip -4 -o addr show}: "3: eth0    inet 198.51.100.11/24 brd … scope global eth0\ …". */
    private static final Pattern ADDR_LINE = Pattern.compile("^\\d+:\\s+(\\S+?)(?:@\\S+)?\\s+inet\\s+([^\\s/]+)/(\\d{1,2})(.*)$");
    private static final Pattern DEFAULT_VIA = Pattern.compile("^default\\s+via\\s+(\\S+)");

    /** An IPv4 address with its prefix length and interface as listed by iproute2. */
    public record InterfaceAddress(String interfaceName, String address, int prefixLength, boolean secondary) {
    }

    private final CommandRunner runner;

    public AddressControl(CommandRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    public boolean isAssigned(String interfaceName, String vip) throws IOException {
        return addresses(interfaceName).stream().anyMatch(a -> a.address().equals(vip));
    }

    /** Removes the address; returns false when it was not there (not an error). */
    public boolean remove(String interfaceName, String vip, int prefixLength) throws IOException {
        CommandRunner.Result result = runner.run(List.of("ip", "addr", "del", vip + "/" + prefixLength, "dev", interfaceName));
        if (result.ok()) {
            LOG.infof("removed %s/%d from %s", vip, prefixLength, interfaceName);
            return true;
        }
        String error = result.stderr().strip();
        if (error.contains("not found") || error.contains("Cannot assign requested address")) {
            return false;
        }
        throw new IOException("ip addr del " + vip + "/" + prefixLength + " dev " + interfaceName
                + " failed with exit " + result.exitCode() + ": " + error);
    }

    /**
     * Runs ucarp's down hook the way ucarp would ({@code SCRIPT INTERFACE VIP [XPARAM]}), for a master ucarp that was
     * ended with SIGKILL and so could not run it itself; a failing hook is logged by the caller, the address is
     * removed there regardless.
     */
    public void runDownHook(UcarpConfig config) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(config.downScript().toString(), config.interfaceName(),
                config.virtualAddress()));
        if (config.xparam() != null) {
            argv.add(config.xparam());
        }
        CommandRunner.Result result = runner.run(argv);
        if (!result.ok()) {
            throw new IOException(String.join(" ", argv) + " failed with exit " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
    }

    /** Sends one unsolicited (gratuitous) ARP so neighbours update their caches to this node's MAC. */
    public void sendGratuitousArp(String interfaceName, String vip) throws IOException {
        CommandRunner.Result result = runner.run(List.of("arping", "-U", "-c", "1", "-I", interfaceName, vip));
        if (!result.ok()) {
            throw new IOException("arping -U -c 1 -I " + interfaceName + " " + vip + " failed with exit "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
    }

    /** The default gateway on {@code interfaceName}: the usual isolation host. */
    public Optional<String> defaultGateway(String interfaceName) throws IOException {
        CommandRunner.Result result = check(List.of("ip", "-4", "route", "show", "default", "dev", interfaceName));
        return result.stdout().lines().map(String::strip)
                .map(DEFAULT_VIA::matcher).filter(Matcher::find).map(m -> m.group(1)).filter(Ipv4Cidr::isAddress).findFirst();
    }

    /** The node's own primary IPv4 address on the interface (never a secondary such as the VIP). */
    public Optional<String> addressOn(String interfaceName) throws IOException {
        return addresses(interfaceName).stream().filter(a -> !a.secondary()).map(InterfaceAddress::address).findFirst();
    }

    /**
     * The interface whose subnet contains {@code address} ("198.51.100.10" or "198.51.100.10/24"); with a prefix
     * given, the subnet must also be the same size.
     */
    public Optional<String> interfaceFor(String address) throws IOException {
        String[] parts = address.split("/", 2);
        int vip = Ipv4Cidr.parseAddress(parts[0]);
        Integer wantedPrefix = parts.length == 2 ? Integer.valueOf(parts[1]) : null;
        for (InterfaceAddress candidate : addresses(null)) {
            if (candidate.secondary() || candidate.prefixLength() == 32) {
                continue;
            }
            if (wantedPrefix != null && wantedPrefix != candidate.prefixLength()) {
                continue;
            }
            if (new Ipv4Cidr(Ipv4Cidr.parseAddress(candidate.address()), candidate.prefixLength()).contains(vip)) {
                return Optional.of(candidate.interfaceName());
            }
        }
        return Optional.empty();
    }

    /** IPv4 addresses on one interface, or on all when {@code interfaceName} is null. */
    public List<InterfaceAddress> addresses(String interfaceName) throws IOException {
        List<String> argv = interfaceName == null
                ? List.of("ip", "-4", "-o", "addr", "show")
                : List.of("ip", "-4", "-o", "addr", "show", "dev", interfaceName);
        return parseAddresses(check(argv).stdout());
    }

    static List<InterfaceAddress> parseAddresses(String output) {
        return output.lines().map(ADDR_LINE::matcher).filter(Matcher::matches)
                .filter(m -> Ipv4Cidr.isAddress(m.group(2)) && Integer.parseInt(m.group(3)) <= 32)
                .map(m -> new InterfaceAddress(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                        m.group(4).contains(" secondary")))
                .toList();
    }

    private CommandRunner.Result check(List<String> argv) throws IOException {
        CommandRunner.Result result = runner.run(argv);
        if (!result.ok()) {
            throw new IOException(String.join(" ", argv) + " failed with exit " + result.exitCode() + ": " + result.stderr().strip());
        }
        return result;
    }
}
