package io.carpoperator.wire;

import java.util.OptionalLong;

/** One line the wire helper wrote, parsed; the protocol is described on {@link WireHelper}. */
public sealed interface WireEvent {

    /** The helper runs and reads commands. */
    record Ready(long pid) implements WireEvent {
    }

    /** The ICMP echo reply to request {@code requestId} arrived from {@code from}. */
    record EchoReply(long requestId, String from) implements WireEvent {
    }

    /** {@code address} answered the ARP request or probe {@code requestId} from {@code mac} (lower case, colons). */
    record ArpReply(long requestId, String address, String mac) implements WireEvent {
    }

    /** Adverts arriving on the interface are reported from now on. */
    record Listening(String interfaceName) implements WireEvent {
    }

    /** A protocol-112 packet arrived; {@code hex} is everything after its IP header. */
    record Advert(String interfaceName, String source, int ttl, String hex) implements WireEvent {
    }

    /** A request failed, or (no request id) something else did, e.g. {@code listen eth0: no interface eth0 ...}. */
    record Failure(OptionalLong requestId, String message) implements WireEvent {
    }

    /** A line this side does not understand; kept whole for the log. */
    record Unrecognized(String line, String why) implements WireEvent {
    }

    /** Never throws: a line that does not parse becomes {@link Unrecognized}. */
    static WireEvent parse(String line) {
        String[] words = line.split(" ", -1);
        try {
            return switch (words[0]) {
                case "ready" -> {
                    expectWords(words, 2);
                    yield new Ready(Long.parseLong(words[1]));
                }
                case "icmp" -> {
                    expectWords(words, 3);
                    yield new EchoReply(Long.parseLong(words[1]), words[2]);
                }
                case "arp" -> {
                    expectWords(words, 4);
                    yield new ArpReply(Long.parseLong(words[1]), words[2], words[3]);
                }
                case "listening" -> {
                    expectWords(words, 2);
                    yield new Listening(words[1]);
                }
                case "carp" -> {
                    expectWords(words, 5);
                    yield new Advert(words[1], words[2], Integer.parseInt(words[3]), words[4]);
                }
                case "error" -> {
                    String[] parts = line.split(" ", 3);
                    if (parts.length < 3) {
                        throw new IllegalArgumentException("an error line needs an id ('-' for none) and a message");
                    }
                    OptionalLong id = parts[1].equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(parts[1]));
                    yield new Failure(id, parts[2]);
                }
                default -> throw new IllegalArgumentException("unknown event '" + words[0] + "'");
            };
        } catch (NumberFormatException e) {
            return new Unrecognized(line, "a number is not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Unrecognized(line, e.getMessage());
        }
    }

    private static void expectWords(String[] words, int count) {
        if (words.length != count) {
            throw new IllegalArgumentException("'" + words[0] + "' events have " + count + " words, this one has " + words.length);
        }
    }
}
