package io.carpoperator.wire;

import io.carpoperator.api.Ipv4Cidr;
import java.util.regex.Pattern;

/**
 * The command lines the wire helper reads (see {@link WireHelper}). Each refuses an argument the helper would refuse
 * too, here with a message naming the field and the value, and above all one with a space or a line break, which
 * would smuggle a second command into the line protocol.
 */
final class WireCommand {

    static final String QUIT = "quit";

    /** Linux's own rule (dev_valid_name): 1-15 bytes, no '/', ':' or whitespace; printable ASCII here. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[!-~&&[^/:]]{1,15}");
    /** The helper takes ids of at most 18 decimal digits. */
    static final long MAX_REQUEST_ID = 999_999_999_999_999_999L;

    private WireCommand() {
    }

    static String icmp(long requestId, String address) {
        return "icmp " + requestId(requestId) + " " + address("address", address);
    }

    static String arp(long requestId, String interfaceName, String address) {
        return "arp " + requestId(requestId) + " " + interfaceName(interfaceName) + " " + address("address", address);
    }

    static String dad(long requestId, String interfaceName, String address) {
        return "dad " + requestId(requestId) + " " + interfaceName(interfaceName) + " " + address("address", address);
    }

    static String garp(String interfaceName, String address) {
        return "garp " + interfaceName(interfaceName) + " " + address("address", address);
    }

    static String cancel(long requestId) {
        return "cancel " + requestId(requestId);
    }

    static String listen(String interfaceName) {
        return "listen " + interfaceName(interfaceName);
    }

    static String unlisten(String interfaceName) {
        return "unlisten " + interfaceName(interfaceName);
    }

    static String interfaceName(String name) {
        if (name == null || !INTERFACE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface '" + name
                    + "' is not a Linux interface name (1-15 characters, no '/', ':' or whitespace)");
        }
        return name;
    }

    static String address(String field, String address) {
        Ipv4Cidr.addressProblem(address).ifPresent(problem -> {
            throw new IllegalArgumentException(field + " '" + address + "' is not an IPv4 address (" + problem
                    + "); the wire helper takes dotted quads only");
        });
        return address;
    }

    private static String requestId(long id) {
        if (id < 0 || id > MAX_REQUEST_ID) {
            throw new IllegalArgumentException("request id " + id + " is outside 0-" + MAX_REQUEST_ID);
        }
        return Long.toString(id);
    }
}
