#!/usr/bin/perl
# wire-sniff.pl IFACE: prints, one flushed line per frame, what a failover puts on IFACE's wire:
#   EPOCH.MICROS carp SRC_IP VHID ADVSKEW                    IPv4 protocol 112 (CARP; VRRP: VRID and priority)
#   EPOCH.MICROS arp OP SENDER_IP SENDER_MAC TARGET_IP       every ARP frame, sent or received
#   EPOCH.MICROS icmp-reply SRC_IP SRC_MAC                   ICMP echo replies
# and "# listening on IFACE ifindex N" once the capture is live. Times are the kernel's receive stamp of the frame
# (SIOCGSTAMP), else clock_gettime(CLOCK_REALTIME) when the frame is read. Only Debian's essential perl-base modules;
# x86_64 Linux only (syscall and ioctl numbers, struct timespec/timeval as two 64-bit integers). Needs root
# (AF_PACKET). Runs until killed.
use strict;
use warnings;
use Config;
use Socket qw(SOCK_RAW);

my $iface = shift @ARGV;
die "usage: wire-sniff.pl IFACE\n" unless defined $iface && $iface =~ /^[\w.\-]{1,15}$/ && !@ARGV;
die "wire-sniff.pl: x86_64 Linux only (clock_gettime is syscall 228 there), this perl is $Config{archname}\n"
    unless $Config{archname} =~ /^x86_64-linux/;

use constant {
    AF_PACKET        => 17,
    ETH_P_ALL        => 0x0003,
    SYS_CLOCK_GETTIME => 228,
    CLOCK_REALTIME   => 0,
    SIOCGSTAMP       => 0x8906,
    # a kernel stamp further than this from the clock is not the frame's (never seen; a guard, not a correction)
    STAMP_TRUST_MICROS => 1_000_000,
};

open(my $index_file, '<', "/sys/class/net/$iface/ifindex")
    or die "wire-sniff.pl: no interface $iface in this network namespace: $!\n";
my $ifindex = <$index_file>;
close $index_file;
chomp $ifindex;

# protocol 0 at socket(): nothing is queued until bind() names the interface and ETH_P_ALL, so no other
# interface's frames slip in between the two calls
socket(my $sock, AF_PACKET, SOCK_RAW, 0) or die "wire-sniff.pl: AF_PACKET socket: $! (needs root)\n";
# struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]
bind($sock, pack('S n i S C C a8', AF_PACKET, ETH_P_ALL, $ifindex, 0, 0, 0, ''))
    or die "wire-sniff.pl: bind to $iface (ifindex $ifindex): $!\n";
# the first SIOCGSTAMP turns on receive stamps for this socket (it fails: nothing received yet); SO_TIMESTAMP would
# not do: with it the kernel hands stamps over only as recvmsg's control data, which perl-base cannot read
my $unused = "\0" x 16;
ioctl($sock, SIOCGSTAMP, $unused);
$| = 1;
print "# listening on $iface ifindex $ifindex\n";

sub clock_micros {
    my $ts = "\0" x 16;
    syscall(SYS_CLOCK_GETTIME, CLOCK_REALTIME, $ts) == 0 or die "wire-sniff.pl: clock_gettime: $!\n";
    my ($sec, $nsec) = unpack('q q', $ts);
    return $sec * 1_000_000 + int($nsec / 1000);
}

# the frame's kernel receive time, when the kernel stamped it and the stamp is plausible; else the clock now
sub frame_micros {
    my $now = clock_micros();
    my $tv = "\0" x 16;
    if (ioctl($sock, SIOCGSTAMP, $tv)) {
        my ($sec, $usec) = unpack('q q', $tv);
        my $stamp = $sec * 1_000_000 + $usec;
        return $stamp if abs($now - $stamp) <= STAMP_TRUST_MICROS;
    }
    return $now;
}

sub ip4 { return join('.', unpack('C4', $_[0])) }
sub mac { return join(':', map { sprintf('%02x', $_) } unpack('C6', $_[0])) }
sub stamp { my $m = shift; return sprintf('%d.%06d', int($m / 1_000_000), $m % 1_000_000) }

my $frame;
while (1) {
    defined(recv($sock, $frame, 65535, 0)) or die "wire-sniff.pl: recv on $iface: $!\n";
    next if length($frame) < 14;
    my $at = frame_micros();
    my $src_mac = substr($frame, 6, 6);
    my $type = unpack('n', substr($frame, 12, 2));
    if ($type == 0x0806 && length($frame) >= 42) {
        my ($op, $sha, $spa, $tpa) = unpack('x6 n a6 a4 x6 a4', substr($frame, 14, 28));
        print stamp($at), " arp $op ", ip4($spa), ' ', mac($sha), ' ', ip4($tpa), "\n";
    } elsif ($type == 0x0800 && length($frame) >= 34) {
        my $ihl = (unpack('C', substr($frame, 14, 1)) & 0x0f) * 4;
        my $proto = unpack('C', substr($frame, 23, 1));
        my $src = ip4(substr($frame, 26, 4));
        my $payload = 14 + $ihl;
        next if $ihl < 20 || length($frame) < $payload + 3;
        if ($proto == 112) {
            # CARP and VRRP alike: byte 1 is the vhid / VRID, byte 2 CARP's advskew / VRRP's priority
            my ($vhid, $skew) = unpack('x C C', substr($frame, $payload, 3));
            print stamp($at), " carp $src $vhid $skew\n";
        } elsif ($proto == 1 && unpack('C', substr($frame, $payload, 1)) == 0) {
            print stamp($at), " icmp-reply $src ", mac($src_mac), "\n";
        }
    }
}
