#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/lab/middlebox.py ADDR [RCODE] - a middlebox that answers every DNS
query itself, as an intercepting firewall, captive portal or hotel network
does: on ADDR port 53, UDP and TCP, every question gets RCODE (default 3,
NXDOMAIN) with AA=0 and RA=1, the question echoed, nothing else. Used by the
lab's intercepted-vantage world in place of the root server. Runs until
killed (the lab stops it by pid)."""
import socket
import struct
import sys
import threading


def answer(query, rcode):
    """The reply to one wire-format query, or None if it is not one."""
    if len(query) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    if flags & 0x8000 or qd != 1:
        return None
    end = 12
    while end < len(query) and query[end] != 0:  # the QNAME's labels
        end += 1 + query[end]
    end += 5  # root label, QTYPE, QCLASS
    if end > len(query):
        return None
    rd = flags & 0x0100
    out_flags = 0x8000 | rd | 0x0080 | (rcode & 0xF)  # QR, RD copied, RA
    return struct.pack("!HHHHHH", qid, out_flags, 1, 0, 0, 0) + query[12:end]


def serve_udp(addr, rcode):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    while True:
        data, peer = s.recvfrom(4096)
        reply = answer(data, rcode)
        if reply is not None:
            s.sendto(reply, peer)


def serve_tcp_client(conn, rcode):
    with conn:
        while True:
            head = conn.recv(2, socket.MSG_WAITALL)
            if len(head) < 2:
                return
            (n,) = struct.unpack("!H", head)
            data = conn.recv(n, socket.MSG_WAITALL)
            reply = answer(data, rcode)
            if reply is None:
                return
            conn.sendall(struct.pack("!H", len(reply)) + reply)


def serve_tcp(addr, rcode):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 53))
    s.listen(16)
    while True:
        conn, _ = s.accept()
        conn.settimeout(5)
        threading.Thread(target=serve_tcp_client, args=(conn, rcode),
                         daemon=True).start()


def main():
    addr = sys.argv[1]
    rcode = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    threading.Thread(target=serve_tcp, args=(addr, rcode), daemon=True).start()
    serve_udp(addr, rcode)


if __name__ == "__main__":
    main()
