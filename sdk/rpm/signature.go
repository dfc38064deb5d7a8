package rpm

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// SigKeyID returns the id of the OpenPGP key that signed the package, 16
// hex digits in lower case as rpm -qp --qf '%{SIGPGP:pgpsig}' prints
// it, or "" for an unsigned package. It reads the signature header's
// RSA or DSA header signature, else its PGP or GPG one (RFC 4880 5.2,
// RFC 9580 5.2): a version 3 packet's key id, a version 4 or 6 packet's
// issuer or issuer fingerprint subpacket.
func (p *Package) SigKeyID() (string, error) {
	for _, tag := range []Tag{SigTagRSA, SigTagDSA, SigTagPGP, SigTagGPG} {
		if !p.Signature.Has(tag) {
			continue
		}
		id, err := issuer(p.Signature.Bytes(tag))
		if err != nil {
			return "", fmt.Errorf("signature tag %d: %w", tag, err)
		}
		return id, nil
	}
	return "", nil
}

// issuer reads the key id from one OpenPGP signature packet.
func issuer(pkt []byte) (string, error) {
	body, err := packetBody(pkt)
	if err != nil {
		return "", err
	}
	if len(body) < 1 {
		return "", fmt.Errorf("empty signature packet")
	}
	switch body[0] {
	case 3:
		// version, hashed length (5), type, time, key id (8), ...
		if len(body) < 15 || body[1] != 5 {
			return "", fmt.Errorf("version 3 signature packet too short")
		}
		return hex.EncodeToString(body[7:15]), nil
	case 4, 6:
		// version, type, key algorithm, hash algorithm, then the hashed
		// and unhashed subpackets, each with its length (4 bytes in v6).
		rest := body[4:]
		var fingerprint string
		for area := 0; area < 2; area++ {
			n, size := 0, 2
			if body[0] == 6 {
				size = 4
			}
			if len(rest) < size {
				return "", fmt.Errorf("signature packet cut in its subpackets")
			}
			if size == 2 {
				n = int(binary.BigEndian.Uint16(rest))
			} else {
				n = int(binary.BigEndian.Uint32(rest))
			}
			rest = rest[size:]
			if n > len(rest) {
				return "", fmt.Errorf("signature subpackets longer than the packet")
			}
			id, fp, err := subpacketIssuer(rest[:n])
			if err != nil {
				return "", err
			}
			if id != "" {
				return id, nil
			}
			if fp != "" && fingerprint == "" {
				fingerprint = fp
			}
			rest = rest[n:]
		}
		if fingerprint != "" {
			return fingerprint, nil
		}
		return "", fmt.Errorf("signature names no issuer")
	}
	return "", fmt.Errorf("signature packet version %d", body[0])
}

// subpacketIssuer finds an issuer (type 16) or issuer fingerprint (33)
// subpacket; of a fingerprint the key id is its last 8 bytes (v4).
func subpacketIssuer(b []byte) (id, fingerprint string, err error) {
	for len(b) > 0 {
		n, hdr := int(b[0]), 1
		switch {
		case b[0] >= 192 && b[0] < 255:
			if len(b) < 2 {
				return "", "", fmt.Errorf("subpacket length cut")
			}
			n, hdr = (int(b[0])-192)<<8+int(b[1])+192, 2
		case b[0] == 255:
			if len(b) < 5 {
				return "", "", fmt.Errorf("subpacket length cut")
			}
			n, hdr = int(binary.BigEndian.Uint32(b[1:5])), 5
		}
		if n < 1 || hdr+n > len(b) {
			return "", "", fmt.Errorf("subpacket longer than its area")
		}
		sp := b[hdr : hdr+n]
		switch sp[0] & 0x7f {
		case 16:
			if len(sp) == 9 {
				return hex.EncodeToString(sp[1:9]), "", nil
			}
		case 33:
			if len(sp) >= 10 {
				fingerprint = hex.EncodeToString(sp[len(sp)-8:])
			}
		}
		b = b[hdr+n:]
	}
	return "", fingerprint, nil
}

// packetBody strips an OpenPGP packet's header (old or new format) from
// a signature packet (tag 2).
func packetBody(pkt []byte) ([]byte, error) {
	if len(pkt) < 2 || pkt[0]&0x80 == 0 {
		return nil, fmt.Errorf("not an OpenPGP packet")
	}
	if pkt[0]&0x40 == 0 { // old format: tag in bits 5-2, length type in 1-0
		if (pkt[0]>>2)&0x0f != 2 {
			return nil, fmt.Errorf("not a signature packet")
		}
		lens := [...]int{1, 2, 4, 0}[pkt[0]&3]
		if lens == 0 || len(pkt) < 1+lens {
			return nil, fmt.Errorf("packet length cut or indeterminate")
		}
		n := 0
		for _, c := range pkt[1 : 1+lens] {
			n = n<<8 | int(c)
		}
		if 1+lens+n > len(pkt) {
			return nil, fmt.Errorf("packet longer than the tag")
		}
		return pkt[1+lens : 1+lens+n], nil
	}
	if pkt[0]&0x3f != 2 {
		return nil, fmt.Errorf("not a signature packet")
	}
	b := pkt[1:]
	n, hdr := int(b[0]), 1
	switch {
	case b[0] >= 192 && b[0] < 224:
		if len(b) < 2 {
			return nil, fmt.Errorf("packet length cut")
		}
		n, hdr = (int(b[0])-192)<<8+int(b[1])+192, 2
	case b[0] == 255:
		if len(b) < 5 {
			return nil, fmt.Errorf("packet length cut")
		}
		n, hdr = int(binary.BigEndian.Uint32(b[1:5])), 5
	case b[0] >= 224:
		return nil, fmt.Errorf("partial packet lengths in a signature")
	}
	if hdr+n > len(b) {
		return nil, fmt.Errorf("packet longer than the tag")
	}
	return b[hdr : hdr+n], nil
}
