#!/usr/bin/perl
# carp-wire.pl: carp-operator's long-lived helper for raw packets on one node's links (io.carpoperator.wire).
#
# Runs as root in the node's network namespace with nothing but Debian's essential perl-base (Socket, Errno). One
# command per line on stdin, one event per line on stdout, flushed line by line. A single select() loop serves stdin
# and every socket, each read without blocking, so no socket can hold up another. A bad command line is answered with
# an error event and never ends the helper; "quit" or the end of stdin ends it with exit code 0. Timestamps are the
# caller's: it notes when it wrote a command and when the event's line arrived.
#
# Commands (ID: a decimal request number of at most 18 digits chosen by the caller; ADDRESS: a dotted-quad IPv4
# address; IFACE: a Linux interface name):
#   icmp ID ADDRESS          send one ICMP echo request to ADDRESS (identifier: random per helper, sequence: ID & 0xffff)
#   arp ID IFACE ADDRESS     send one ARP request for ADDRESS on IFACE, from the address IFACE would use towards it
#   dad ID IFACE ADDRESS     send one ARP probe for ADDRESS on IFACE (RFC 5227: sender address 0.0.0.0)
#   garp IFACE ADDRESS       send one gratuitous ARP for ADDRESS on IFACE (a broadcast request with sender = target =
#                            ADDRESS, as arping -U): neighbours update their caches; nothing is answered
#   cancel ID                stop waiting for replies to request ID (the caller's deadline passed)
#   listen IFACE             report CARP/VRRP adverts (IP protocol 112) arriving on IFACE, joining 224.0.0.18 there;
#                            listening again reopens the socket (e.g. after the interface was recreated)
#   unlisten IFACE           stop reporting them
#   quit                     exit 0
# Events:
#   ready PID                the helper runs and reads commands
#   icmp ID FROM             the echo reply to request ID arrived from FROM (always the requested address)
#   arp ID ADDRESS MAC       ADDRESS answered request ID from MAC; an arp request takes the first reply only, a dad
#                            request every reply until cancelled; replies from this host's own MACs are ignored
#   listening IFACE          adverts arriving on IFACE are reported from now on
#   carp IFACE SRC TTL HEX   a protocol-112 packet from SRC arrived on IFACE with IP TTL TTL; HEX is everything after
#                            its IP header (36 bytes for a CARP advert), at most 128 bytes; not the node's own adverts
#                            from IFACE's primary address (multicast loopback), which say nothing new
#   error ID MESSAGE         request ID failed; ID is - when the error belongs to no request
# Requests nobody cancels are forgotten after a minute.
use strict;
use warnings;
use Socket qw(AF_INET SOCK_RAW SOCK_DGRAM SOL_SOCKET IPPROTO_IP IP_ADD_MEMBERSHIP MSG_DONTWAIT
    INADDR_ANY inet_aton inet_ntoa pack_sockaddr_in unpack_sockaddr_in);

# Linux constants Socket.pm does not export (SO_BINDTODEVICE it knows, per architecture, but will not export).
use constant {
    SO_BINDTODEVICE => Socket::SO_BINDTODEVICE(),
    AF_PACKET       => 17,
    ETH_P_ARP       => 0x0806,
    ETH_P_IP        => 0x0800,
    PACKET_OUTGOING => 4,
    IPPROTO_ICMP    => 1,
    IPPROTO_CARP    => 112,
    SOL_RAW         => 255,
    SOL_PACKET      => 263,
    PACKET_IGNORE_OUTGOING => 23,
    ICMP_FILTER     => 1,
    ICMP_ECHOREPLY  => 0,
    ICMP_ECHO       => 8,
    ARPOP_REQUEST   => 1,
    ARPOP_REPLY     => 2,
    CARP_GROUP      => '224.0.0.18',
    CACHE_SECONDS   => 10,
    FORGET_SECONDS  => 60,
    BURST           => 64,
    MAX_LINE        => 4096,
    MAX_PAYLOAD_HEX => 128,
    SIOCGIFADDR     => 0x8915,
    SO_ATTACH_FILTER => 26,
    SO_DETACH_FILTER => 27,
    OWN_ADDRESS_REFRESH => 30,
};

$| = 1;
$SIG{PIPE} = 'DEFAULT';    # the reader is gone: nobody is left to tell anything
exit 0 unless defined fileno(STDIN);    # no stdin at all is as good as its end

# Random, not the pid: two agents' helpers may share a node's namespace for a moment (a rolling update), each with
# the same small pid of its own pid namespace and request ids counting from 1, and must not take each other's replies.
my $ident = int(rand(65536));
my $watched = '';          # select() bit vector of stdin and every socket
my %reader_of;             # fileno => sub reading that socket
vec($watched, fileno(STDIN), 1) = 1;
$reader_of{fileno(STDIN)} = \&read_commands;
my $icmp_socket;
my %icmp_by_sequence;      # sequence => { id, address (packed), at }
my %arp_waiting;           # iface => { address (packed) => { id => 1 } }
my %pending;               # id => { kind, at, sequence | iface + address + dad }
my %links;                 # iface => { index, mac (packed), socket, at }
my %sources;               # "iface address" => [ source (packed), at ]
my %listeners;             # iface => socket
my %own_address;           # iface => its primary IPv4 address (4 bytes), '' when it has none
my %own_address_at;        # iface => when that was looked up
my %own_macs;              # packed MAC => 1, every interface of this namespace
my $own_macs_at = 0;
my $input = '';
my $last_sweep = time;

emit("ready $$");
while (1) {
    my $ready = select(my $readable = $watched, undef, undef, 1);
    if ($ready > 0) {
        for my $fd (keys %reader_of) {
            next unless vec($readable, $fd, 1);
            my $reader = $reader_of{$fd};
            $reader->() if $reader;
        }
    }
    if (time != $last_sweep) {
        $last_sweep = time;
        forget_stale_requests();
    }
}

sub emit {
    my ($line) = @_;
    print STDOUT $line, "\n";
}

sub read_commands {
    my $n = sysread(STDIN, $input, 65536, length $input);
    if (!defined $n) {
        return if $!{EINTR} || $!{EAGAIN};
        print STDERR "carp-wire: cannot read commands: $!\n";
        exit 1;
    }
    while ($input =~ s/\A([^\n]*)\n//) {
        command($1);
    }
    if ($n == 0) {
        command($input) if length $input;
        exit 0;
    }
    if (length($input) > MAX_LINE) {
        emit('error - command line longer than ' . MAX_LINE . ' bytes, dropped');
        $input = '';
    }
}

sub command {
    my ($line) = @_;
    $line =~ s/\r\z//;
    my @words = split ' ', $line;
    return unless @words;
    my $id = (@words >= 2 && $words[0] =~ /\A(?:icmp|arp|dad|cancel)\z/ && $words[1] =~ /\A[0-9]{1,18}\z/) ? $words[1] : '-';
    my $done = eval { dispatch(@words); 1 };
    return if $done;
    my $error = $@;
    $error =~ s/\s+\z//;
    $error =~ s/\s*\n\s*/; /g;
    # Errors of listen and unlisten belong to no request: the interface in front tells the caller whose they are.
    $error = "$words[0] $words[1]: $error" if $words[0] =~ /\A(?:listen|unlisten)\z/ && @words == 2;
    emit("error $id $error");
}

sub dispatch {
    my ($verb, @args) = @_;
    if ($verb eq 'icmp') {
        expect_arguments($verb, \@args, 'ID ADDRESS');
        send_icmp(new_request_id($args[0]), address($args[1]));
    } elsif ($verb eq 'arp' || $verb eq 'dad') {
        expect_arguments($verb, \@args, 'ID IFACE ADDRESS');
        send_arp(new_request_id($args[0]), interface_name($args[1]), address($args[2]), $verb eq 'dad');
    } elsif ($verb eq 'garp') {
        expect_arguments($verb, \@args, 'IFACE ADDRESS');
        send_gratuitous_arp(interface_name($args[0]), address($args[1]));
    } elsif ($verb eq 'cancel') {
        expect_arguments($verb, \@args, 'ID');
        finish(request_id($args[0]));
    } elsif ($verb eq 'listen') {
        expect_arguments($verb, \@args, 'IFACE');
        start_listening(interface_name($args[0]));
    } elsif ($verb eq 'unlisten') {
        expect_arguments($verb, \@args, 'IFACE');
        stop_listening(interface_name($args[0]));
    } elsif ($verb eq 'quit') {
        exit 0;
    } else {
        die "unknown command '$verb'; expected icmp, arp, dad, garp, cancel, listen, unlisten or quit\n";
    }
}

sub expect_arguments {
    my ($verb, $args, $usage) = @_;
    my @words = split ' ', $usage;
    my $wanted = @words;
    die "'$verb' takes $wanted argument" . ($wanted == 1 ? '' : 's') . " ($verb $usage), got " . scalar(@$args) . "\n"
        if @$args != $wanted;
}

sub request_id {
    my ($text) = @_;
    die "request ID '$text' is not a decimal number of 1-18 digits\n" unless $text =~ /\A[0-9]{1,18}\z/;
    return $text;
}

sub new_request_id {
    my ($text) = @_;
    request_id($text);
    die "request ID $text is already waiting for replies\n" if $pending{$text};
    return $text;
}

sub address {
    my ($text) = @_;
    my @octets = $text =~ /\A([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\z/;
    die "address '$text' is not a dotted-quad IPv4 address\n" unless @octets && !grep { $_ > 255 } @octets;
    return pack('C4', @octets);
}

sub interface_name {
    my ($text) = @_;
    die "interface '$text' is not a Linux interface name (1-15 characters, no '/', ':' or whitespace)\n"
        unless $text =~ m{\A[!-~]{1,15}\z} && $text !~ m{[/:]} && $text ne '.' && $text ne '..';
    return $text;
}

# --- ICMP echo ---------------------------------------------------------------------------------------------------

sub icmp_socket {
    return $icmp_socket if $icmp_socket;
    socket(my $socket, AF_INET, SOCK_RAW, IPPROTO_ICMP) or die "cannot open a raw ICMP socket: $!\n";
    # Only echo replies wake us: every other ICMP type is filtered in the kernel.
    setsockopt($socket, SOL_RAW, ICMP_FILTER, pack('L', ~(1 << ICMP_ECHOREPLY) & 0xffffffff))
        or die "cannot set ICMP_FILTER: $!\n";
    watch($socket, \&read_icmp);
    return $icmp_socket = $socket;
}

sub send_icmp {
    my ($id, $target) = @_;
    my $socket = icmp_socket();
    my $sequence = $id % 65536;
    my $packet = pack('C C n n n a*', ICMP_ECHO, 0, 0, $ident, $sequence, 'carp-wire');
    substr($packet, 2, 2) = pack('n', checksum($packet));
    finish($icmp_by_sequence{$sequence}{id}) if $icmp_by_sequence{$sequence};
    $icmp_by_sequence{$sequence} = { id => $id, address => $target, at => time };
    $pending{$id} = { kind => 'icmp', sequence => $sequence, at => time };
    if (!defined send($socket, $packet, MSG_DONTWAIT, pack_sockaddr_in(0, $target))) {
        my $why = "$!";
        finish($id);
        die "$why\n";
    }
}

sub read_icmp {
    for (1 .. BURST) {
        my $from = recv($icmp_socket, my $packet, 2048, MSG_DONTWAIT);
        last unless defined $from;
        next if length($packet) < 20;
        my $header = (unpack('C', $packet) & 0x0f) * 4;
        next if length($packet) < $header + 8;
        my ($type, $identifier, $sequence) = unpack("x$header C x3 n n", $packet);
        next unless $type == ICMP_ECHOREPLY && $identifier == $ident;
        my $waiting = $icmp_by_sequence{$sequence} or next;
        my $source = substr($packet, 12, 4);
        next unless $source eq $waiting->{address};
        finish($waiting->{id});
        emit("icmp $waiting->{id} " . inet_ntoa($source));
    }
}

sub checksum {
    my ($data) = @_;
    $data .= "\0" if length($data) % 2;
    my $sum = 0;
    $sum += $_ for unpack('n*', $data);
    $sum = ($sum >> 16) + ($sum & 0xffff) while $sum >> 16;
    return ~$sum & 0xffff;
}

# --- ARP ---------------------------------------------------------------------------------------------------------

sub send_arp {
    my ($id, $iface, $target, $dad) = @_;
    my $link = link_of($iface);
    my $sender = $dad ? "\0\0\0\0" : source_towards($iface, $target);
    my $frame = ("\xff" x 6) . $link->{mac} . pack('n', ETH_P_ARP)
        . pack('n n C C n a6 a4 a6 a4', 1, ETH_P_IP, 6, 4, ARPOP_REQUEST, $link->{mac}, $sender, "\0" x 6, $target);
    $frame .= "\0" x (60 - length $frame);
    $pending{$id} = { kind => 'arp', iface => $iface, address => $target, dad => $dad, at => time };
    $arp_waiting{$iface}{$target}{$id} = 1;
    my $broadcast = pack('S n i S C C a8', AF_PACKET, ETH_P_ARP, $link->{index}, 0, 0, 6, "\xff" x 6);
    if (!defined send($link->{socket}, $frame, MSG_DONTWAIT, $broadcast)) {
        my $why = "$!";
        finish($id);
        forget_link($iface);
        die "cannot send on $iface: $why\n";
    }
}

sub send_gratuitous_arp {
    my ($iface, $address) = @_;
    my $link = link_of($iface);
    my $frame = ("\xff" x 6) . $link->{mac} . pack('n', ETH_P_ARP)
        . pack('n n C C n a6 a4 a6 a4', 1, ETH_P_IP, 6, 4, ARPOP_REQUEST, $link->{mac}, $address, "\0" x 6, $address);
    $frame .= "\0" x (60 - length $frame);
    my $broadcast = pack('S n i S C C a8', AF_PACKET, ETH_P_ARP, $link->{index}, 0, 0, 6, "\xff" x 6);
    if (!defined send($link->{socket}, $frame, MSG_DONTWAIT, $broadcast)) {
        my $why = "$!";
        forget_link($iface);
        die "garp: cannot send on $iface: $why\n";
    }
}

sub link_of {
    my ($iface) = @_;
    my $link = $links{$iface};
    return $link if $link && $link->{at} + CACHE_SECONDS > time;
    my $index = interface_index($iface);
    my $text = first_line("/sys/class/net/$iface/address") // '';
    die "interface $iface has no Ethernet address ('$text')\n" unless $text =~ /\A[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\z/;
    my $mac = pack('H12', $text =~ s/://gr);
    if (!$link || $link->{index} != $index) {
        forget_link($iface);
        $link = { socket => arp_socket($iface, $index) };
        $links{$iface} = $link;
    }
    @$link{qw(index mac at)} = ($index, $mac, time);
    refresh_own_macs();
    return $link;
}

sub arp_socket {
    my ($iface, $index) = @_;
    socket(my $socket, AF_PACKET, SOCK_RAW, unpack('S', pack('n', ETH_P_ARP))) or die "cannot open an ARP socket: $!\n";
    bind($socket, pack('S n i S C C a8', AF_PACKET, ETH_P_ARP, $index, 0, 0, 0, ''))
        or die "cannot bind an ARP socket to $iface: $!\n";
    # Linux 4.20+: our own requests are not handed back to us (older kernels: read_arp drops them by packet type).
    setsockopt($socket, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1);
    watch($socket, sub { read_arp($iface, $socket) });
    return $socket;
}

sub forget_link {
    my ($iface) = @_;
    my $link = delete $links{$iface} or return;
    unwatch($link->{socket});
}

sub interface_index {
    my ($iface) = @_;
    my $index = first_line("/sys/class/net/$iface/ifindex");
    die "no interface $iface in this network namespace\n" unless defined $index && $index =~ /\A[0-9]+\z/;
    return $index;
}

# The address the kernel would send from on IFACE towards TARGET, as arping finds it: a UDP connect, no packet sent.
sub source_towards {
    my ($iface, $target) = @_;
    my $key = "$iface " . inet_ntoa($target);
    my $known = $sources{$key};
    return $known->[0] if $known && $known->[1] + CACHE_SECONDS > time;
    socket(my $udp, AF_INET, SOCK_DGRAM, 0) or die "cannot open a UDP socket: $!\n";
    setsockopt($udp, SOL_SOCKET, SO_BINDTODEVICE, $iface) or die "cannot bind a UDP socket to $iface: $!\n";
    connect($udp, pack_sockaddr_in(9, $target)) or die "no IPv4 source address on $iface towards " . inet_ntoa($target) . ": $!\n";
    my (undef, $source) = unpack_sockaddr_in(getsockname($udp));
    close $udp;
    $sources{$key} = [$source, time];
    return $source;
}

sub read_arp {
    my ($iface, $socket) = @_;
    for (1 .. BURST) {
        my $from = recv($socket, my $frame, 2048, MSG_DONTWAIT);
        last unless defined $from;
        next if length($from) < 8 || (unpack('S n i S C', $from))[4] == PACKET_OUTGOING;
        next if length($frame) < 42 || unpack('x12 n', $frame) != ETH_P_ARP;
        my ($htype, $ptype, $hlen, $plen, $op, $sha, $spa) = unpack('x14 n n C C n a6 a4', $frame);
        next unless $htype == 1 && $ptype == ETH_P_IP && $hlen == 6 && $plen == 4 && $op == ARPOP_REPLY;
        next if $own_macs{$sha};
        my $waiting = $arp_waiting{$iface}{$spa} or next;
        my $line = inet_ntoa($spa) . ' ' . join(':', unpack('(H2)6', $sha));
        for my $id (sort keys %$waiting) {
            emit("arp $id $line");
            finish($id) unless $pending{$id}{dad};
        }
    }
}

sub refresh_own_macs {
    return if $own_macs_at + CACHE_SECONDS > time;
    %own_macs = ();
    opendir(my $dir, '/sys/class/net') or return;
    for my $name (readdir $dir) {
        next if $name =~ /\A\./;
        my $text = first_line("/sys/class/net/$name/address") // next;
        $own_macs{pack('H12', $text =~ s/://gr)} = 1 if $text =~ /\A[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\z/;
    }
    closedir $dir;
    $own_macs_at = time;
}

# --- CARP adverts ------------------------------------------------------------------------------------------------

sub start_listening {
    my ($iface) = @_;
    my $index = interface_index($iface);
    stop_listening($iface);
    socket(my $socket, AF_INET, SOCK_RAW, IPPROTO_CARP) or die "cannot open a protocol-112 socket: $!\n";
    setsockopt($socket, SOL_SOCKET, SO_BINDTODEVICE, $iface) or die "cannot bind to $iface: $!\n";
    # ip_mreqn: group, local address (any), ifindex; joining makes the kernel accept adverts nobody else joined for.
    setsockopt($socket, IPPROTO_IP, IP_ADD_MEMBERSHIP, pack('a4 a4 i', inet_aton(CARP_GROUP), INADDR_ANY, $index))
        or die "cannot join " . CARP_GROUP . " on $iface: $!\n";
    $listeners{$iface} = $socket;
    refresh_own_address($iface, $socket);
    watch($socket, sub { read_adverts($iface, $socket) });
    emit("listening $iface");
}

# This node's own adverts come back through multicast loopback (ucarp leaves IP_MULTICAST_LOOP on): with a hundred
# VIPs mastered here they would be a hundred lines a second that say nothing. The interface's primary address
# (SIOCGIFADDR), which ucarp's -s normally is, is looked up at listen and every OWN_ADDRESS_REFRESH seconds.
sub refresh_own_address {
    my ($iface, $socket) = @_;
    my $request = pack('a16 x16', $iface);
    my $own = ioctl($socket, SIOCGIFADDR, $request) ? substr($request, 20, 4) : '';
    my $changed = !defined $own_address{$iface} || $own_address{$iface} ne $own;
    $own_address{$iface} = $own;
    $own_address_at{$iface} = time;
    drop_own_adverts_in_kernel($socket, $own) if $changed;
}

# A classic BPF socket filter, so the kernel drops those adverts before they wake this process: load the IP source
# address (the packet starts at the IP header on a raw IPv4 socket), drop it when it is ours, keep everything else.
# Without an address, or if the kernel refuses, the check in read_adverts does the same work in here.
sub drop_own_adverts_in_kernel {
    my ($socket, $own) = @_;
    if ($own eq '') {
        setsockopt($socket, SOL_SOCKET, SO_DETACH_FILTER, pack('i', 0));
        return;
    }
    my $program = pack('S C C L', 0x20, 0, 0, 12)                  # ld  [12]
        . pack('S C C L', 0x15, 0, 1, unpack('N', $own))             # jeq #own, next, skip one
        . pack('S C C L', 0x06, 0, 0, 0)                             # ret #0       (drop)
        . pack('S C C L', 0x06, 0, 0, 0xffffffff);                   # ret #-1      (keep)
    setsockopt($socket, SOL_SOCKET, SO_ATTACH_FILTER, pack('S x6 P32', 4, $program));
}

sub stop_listening {
    my ($iface) = @_;
    delete $own_address{$iface};
    delete $own_address_at{$iface};
    my $socket = delete $listeners{$iface} or return;
    unwatch($socket);
}

sub read_adverts {
    my ($iface, $socket) = @_;
    for (1 .. BURST) {
        my $from = recv($socket, my $packet, 2048, MSG_DONTWAIT);
        last unless defined $from;
        next if length($packet) < 20;
        my ($version_and_length, $ttl, $protocol, $source) = unpack('C x7 C C x2 a4', $packet);
        refresh_own_address($iface, $socket) if time - $own_address_at{$iface} >= OWN_ADDRESS_REFRESH;
        next if $source eq $own_address{$iface};
        my $header = ($version_and_length & 0x0f) * 4;
        next if $protocol != IPPROTO_CARP || $header < 20 || length($packet) <= $header;
        my $payload = substr($packet, $header, MAX_PAYLOAD_HEX);
        emit("carp $iface " . inet_ntoa($source) . " $ttl " . unpack('H*', $payload));
    }
}

# --- bookkeeping -------------------------------------------------------------------------------------------------

sub finish {
    my ($id) = @_;
    my $request = delete $pending{$id} or return;
    if ($request->{kind} eq 'icmp') {
        my $waiting = $icmp_by_sequence{$request->{sequence}};
        delete $icmp_by_sequence{$request->{sequence}} if $waiting && $waiting->{id} eq $id;
    } else {
        my $by_address = $arp_waiting{$request->{iface}} or return;
        my $ids = $by_address->{$request->{address}} or return;
        delete $ids->{$id};
        delete $by_address->{$request->{address}} unless %$ids;
        delete $arp_waiting{$request->{iface}} unless %$by_address;
    }
}

sub forget_stale_requests {
    my $now = time;
    finish($_) for grep { $pending{$_}{at} + FORGET_SECONDS < $now } keys %pending;
}

sub watch {
    my ($socket, $reader) = @_;
    $reader_of{fileno($socket)} = $reader;
    vec($watched, fileno($socket), 1) = 1;
}

# Out of the select set before the close, which takes the file number away.
sub unwatch {
    my ($socket) = @_;
    my $fd = fileno($socket);
    delete $reader_of{$fd};
    vec($watched, $fd, 1) = 0;
    close $socket;
}

sub first_line {
    my ($path) = @_;
    open(my $file, '<', $path) or return undef;
    my $line = <$file>;
    close $file;
    return undef unless defined $line;
    chomp $line;
    return $line;
}
