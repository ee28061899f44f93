#!/usr/bin/env python3
"""Sends or answers real packets for the evaluator's kernel differential test.

Runs inside a network namespace created by the test (ip netns exec NS python3 flowagent.py MODE).

  listen PORT...   TCP: accept and close; UDP: echo one datagram back. Dual-stack, all
                   addresses, so whatever the policy lets through gets an answer.
  send             Reads one JSON flow per line on stdin, sends its first packet, prints
                   one outcome per line: ok | timeout | refused | eperm | error:<text>.

A flow is exactly one NEW packet through the sender's OUTPUT and the receiver's INPUT
(no retransmissions: the timeout is well under TCP's 1 s initial retransmission timer),
so the packet counters the test reads afterwards belong to that packet alone.
"""
import errno
import json
import os
import select
import socket
import struct
import sys
import threading
import time


def listen(ports):
    for port in ports:
        t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind(("::", port))
        t.listen(128)
        threading.Thread(target=accept_loop, args=(t,), daemon=True).start()
        for fam in (socket.AF_INET, socket.AF_INET6):
            u = socket.socket(fam, socket.SOCK_DGRAM)
            if fam == socket.AF_INET6:
                u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                u.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
                u.bind(("::", port))
            else:
                u.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
                u.bind(("0.0.0.0", port))
            threading.Thread(target=echo_loop, args=(u, fam), daemon=True).start()
    print("listening", flush=True)
    sys.stdin.read()  # until the test closes our stdin


def accept_loop(sock):
    while True:
        conn, _ = sock.accept()
        conn.close()


# Linux values; not every Python build exports them.
IP_PKTINFO = 8
IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50


def echo_loop(sock, fam):
    # Answer from the address the datagram was sent to: the sender's connected socket
    # ignores replies from any other address, and a host with many addresses on one link
    # would otherwise pick its source by route, not by the request.
    level, kind = (socket.IPPROTO_IP, IP_PKTINFO) if fam == socket.AF_INET else (socket.IPPROTO_IPV6, IPV6_PKTINFO)
    while True:
        data, ancdata, _, addr = sock.recvmsg(2048, socket.CMSG_SPACE(64))
        cmsgs = []
        for clevel, ctype, cdata in ancdata:
            if clevel == level and ctype == kind:
                if fam == socket.AF_INET:
                    # struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }: reply from addr
                    cmsgs.append((level, kind, struct.pack("=I4s4s", 0, cdata[8:12], b"\0" * 4)))
                else:
                    # struct in6_pktinfo { in6_addr addr; int ifindex; }
                    cmsgs.append((level, kind, cdata[:16] + struct.pack("=I", 0)))
        sock.sendmsg([data], cmsgs, 0, addr)


def family_of(flow):
    return socket.AF_INET6 if ":" in flow["src"] else socket.AF_INET


def classify(err):
    if err in (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ECONNRESET):
        return "refused"
    if err == errno.EPERM:
        return "eperm"
    return "error:" + errno.errorcode.get(err, str(err))


def send_tcp(flow, timeout):
    s = socket.socket(family_of(flow), socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((flow["src"], flow["sport"]))
        s.setblocking(False)
        err = s.connect_ex((flow["dst"], flow["dport"]))
        if err not in (0, errno.EINPROGRESS):
            return classify(err)
        _, w, _ = select.select([], [s], [], timeout)
        if not w:
            return "timeout"
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        return "ok" if err == 0 else classify(err)
    finally:
        # Abortive close (RST): no FIN exchange and no TIME_WAIT for the next flow to trip on.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()


def send_udp(flow, timeout):
    s = socket.socket(family_of(flow), socket.SOCK_DGRAM)
    try:
        s.bind((flow["src"], flow["sport"]))
        s.connect((flow["dst"], flow["dport"]))
        try:
            s.send(b"fwpolicy-probe")
        except OSError as e:
            return classify(e.errno)
        r, _, _ = select.select([s], [], [], timeout)
        if not r:
            return "timeout"
        try:
            s.recv(2048)
            return "ok"
        except OSError as e:
            return classify(e.errno)
    finally:
        s.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def send_icmp(flow, timeout):
    v6 = family_of(flow) == socket.AF_INET6
    proto = socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP
    s = socket.socket(family_of(flow), socket.SOCK_RAW, proto)
    try:
        s.bind((flow["src"], 0))
        ident = flow["id"] & 0xFFFF
        typ = flow["type"]
        header = struct.pack("!BBHHH", typ, 0, 0, ident, 1)
        payload = b"fwpolicy-probe"
        if not v6:  # the kernel fills in ICMPv6 checksums itself, not ICMPv4 ones
            header = struct.pack("!BBHHH", typ, 0, checksum(header + payload), ident, 1)
        try:
            s.sendto(header + payload, (flow["dst"], 0))
        except OSError as e:
            return classify(e.errno)
        deadline = time.monotonic() + timeout
        echo_reply = 129 if v6 else 0
        unreachable = 1 if v6 else 3
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            r, _, _ = select.select([s], [], [], left)
            if not r:
                return "timeout"
            data, addr = s.recvfrom(4096)
            if not v6:
                data = data[(data[0] & 0x0F) * 4:]  # raw IPv4 sockets see the IP header
            if len(data) < 8:
                continue
            rtype, _, _, rid, _ = struct.unpack("!BBHHH", data[:8])
            if rtype == echo_reply and rid == ident:
                return "ok"
            if rtype == unreachable:
                return "refused"
    finally:
        s.close()


def send():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        flow = json.loads(line)
        timeout = flow.get("timeout", 0.25)
        try:
            if flow["proto"] == "tcp":
                out = send_tcp(flow, timeout)
            elif flow["proto"] == "udp":
                out = send_udp(flow, timeout)
            else:
                out = send_icmp(flow, timeout)
        except OSError as e:
            out = classify(e.errno)
        print(out, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "listen":
        listen([int(p) for p in sys.argv[2:]])
    else:
        send()
