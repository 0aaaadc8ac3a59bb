"""SIP messages as proxies and PBXs send them (addresses from documentation ranges)."""

from __future__ import annotations

SDP = (
    "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
    "m=audio 30000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
)
IDENTITY = (
    "eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0cHM6Ly9jZXJ0"
    ".eyJhdHRlc3QiOiJBIiwiZGVzdCI6eyJ0biI6WyIzMjI1NTUwMTAwIl19LCJpYXQiOjE3NzI0NDIwMDB9"
    ".c2lnbmF0dXJl;info=<https://cert.example.org/sp.pem>;alg=ES256;ppt=shaken"
)

# An INVITE as Kamailio forwards it: its own Via on top of the gateway's, Record-Route,
# P-Asserted-Identity from the trusted gateway, an Identity header, an SDP body.
KAMAILIO_INVITE = (
    "INVITE sip:+3225550100@192.0.2.10:5070;user=phone SIP/2.0\r\n"
    "Record-Route: <sip:192.0.2.1;lr;ftag=as5f1e>\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK8d3c.6a1f2b0e1c0d2a3b4c5d6e7f8a9b0c1d.0\r\n"
    "Via: SIP/2.0/UDP 203.0.113.20:5060;received=203.0.113.20;rport=5060;branch=z9hG4bK-gw-77\r\n"
    "Max-Forwards: 69\r\n"
    'From: "BANK SUPPORT" <sip:+3225551234@203.0.113.20>;tag=as5f1e\r\n'
    "To: <sip:+3225550100@example.be;user=phone>\r\n"
    "Call-ID: 4c3b2a19-kam@203.0.113.20\r\n"
    "CSeq: 102 INVITE\r\n"
    "Contact: <sip:+3225551234@203.0.113.20:5060>\r\n"
    "P-Asserted-Identity: <tel:+3225551234>\r\n"
    f"Identity: {IDENTITY}\r\n"
    "Identity: second.token.sig;info=<https://cert.example.org/other.pem>\r\n"
    "X-Ingress: international\r\n"
    "X-Carrier: carrier-a\r\n"
    "Content-Type: application/sdp\r\n"
    f"Content-Length: {len(SDP)}\r\n"
    "\r\n" + SDP
)

# An INVITE as Asterisk (chan_pjsip) sends it: rport, Allow/Supported lists, User-Agent.
ASTERISK_INVITE = (
    "INVITE sip:0470123456@192.0.2.10:5070 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 198.51.100.7:5060;rport;branch=z9hG4bKPj0c2b6f0e-8a3d\r\n"
    'From: "0470999888" <sip:0470999888@198.51.100.7>;tag=6d1b1f3c-7a28\r\n'
    "To: <sip:0470123456@192.0.2.10>\r\n"
    "Contact: <sip:asterisk@198.51.100.7:5060>\r\n"
    "Call-ID: 0a6bd3c2-5e1f-4f3a-9b8e-2f1d3c4b5a69\r\n"
    "CSeq: 11711 INVITE\r\n"
    "Allow: OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, ACK, BYE, CANCEL, UPDATE\r\n"
    "Supported: 100rel, timer, replaces, norefersub\r\n"
    "Session-Expires: 1800\r\n"
    "Min-SE: 90\r\n"
    "Max-Forwards: 70\r\n"
    "User-Agent: Asterisk PBX 20.5.0\r\n"
    "Content-Type: application/sdp\r\n"
    f"Content-Length:   {len(SDP)}\r\n"
    "\r\n" + SDP
)

# Compact header forms, lower-case names, a folded Via list, lone LF line ends, no body.
COMPACT_INVITE = (
    "INVITE tel:+3225550100 SIP/2.0\n"
    "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKc1,\n"
    "   SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKc0\n"
    "f: Anonymous <sip:anonymous@anonymous.invalid>;tag=x9\n"
    "t: <tel:+3225550100>\n"
    "i: compact-1\n"
    "cseq: 1 INVITE\n"
    "subject: folded\n"
    " over two lines\n"
    "l: 0\n"
    "\n"
)
