/*
 * carp-operator: makes ucarp's packet capture deliver each CARP advert the moment it arrives.
 *
 * ucarp 1.5.2 opens its capture with pcap_open_live(..., to_ms = 1000). libpcap >= 1.5 on Linux then uses a
 * TPACKET_V3 ring whose blocks reach the process only when full or when the 1 s block timeout fires, so a
 * backup reads each advert between 0 and 1 s late, at a phase fixed when ucarp started, and its master-down
 * timer (3 x advbase + advskew/256 from the read) expires that much late: a failover is up to 1 s slower than
 * CARP's timers say. Immediate mode (TPACKET_V2, one packet at a time) removes that delay; nothing else changes.
 *
 * Loaded with LD_PRELOAD into ucarp (and, harmlessly, into the wrappers that exec it: the only symbol defined
 * here is pcap_open_live, and libpcap's functions are looked up at call time, so a process without libpcap
 * never resolves them). If immediate mode cannot be set or activated, the original pcap_open_live runs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

typedef struct pcap pcap_t;

typedef pcap_t *(*open_live_fn)(const char *, int, int, int, char *);
typedef pcap_t *(*create_fn)(const char *, char *);
typedef int (*set_int_fn)(pcap_t *, int);
typedef int (*activate_fn)(pcap_t *);
typedef void (*close_fn)(pcap_t *);

#define LOOKUP(type, name) ((type) dlsym(RTLD_NEXT, name))

pcap_t *pcap_open_live(const char *device, int snaplen, int promisc, int to_ms, char *errbuf)
{
    open_live_fn original = LOOKUP(open_live_fn, "pcap_open_live");
    create_fn create = LOOKUP(create_fn, "pcap_create");
    set_int_fn set_snaplen = LOOKUP(set_int_fn, "pcap_set_snaplen");
    set_int_fn set_promisc = LOOKUP(set_int_fn, "pcap_set_promisc");
    set_int_fn set_timeout = LOOKUP(set_int_fn, "pcap_set_timeout");
    set_int_fn set_immediate = LOOKUP(set_int_fn, "pcap_set_immediate_mode");
    activate_fn activate = LOOKUP(activate_fn, "pcap_activate");
    close_fn close_handle = LOOKUP(close_fn, "pcap_close");

    if (create != NULL && set_snaplen != NULL && set_promisc != NULL && set_timeout != NULL
            && set_immediate != NULL && activate != NULL && close_handle != NULL) {
        pcap_t *handle = create(device, errbuf);
        if (handle != NULL) {
            if (set_snaplen(handle, snaplen) == 0 && set_promisc(handle, promisc) == 0
                    && set_timeout(handle, to_ms) == 0 && set_immediate(handle, 1) == 0
                    && activate(handle) >= 0) {
                return handle;
            }
            close_handle(handle);
        }
    }
    if (original == NULL) {
        snprintf(errbuf, 256, "carp-operator pcap-immediate: libpcap's pcap_open_live not found");
        return NULL;
    }
    return original(device, snaplen, promisc, to_ms, errbuf);
}
