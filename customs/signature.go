package customs

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"math/big"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"

	"tracegate"
)

// The algorithms of a CEB ds:Signature (电子口岸 XML signature, SM2 over
// SM3), as the official samples name them.
const (
	AlgC14N      = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	AlgEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	AlgSM2SM3    = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"
	AlgSM3       = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"
)

// What an intake says of a message's signature (IntakeResult.Signature).
const (
	// SignatureVerified: the ds:Signature verified under a configured
	// certificate.
	SignatureVerified = "verified"
	// SignatureUnverified: no certificates are configured, or the message
	// carries no signature; presence alone proves nothing.
	SignatureUnverified = "unverified"
)

// Signatures verifies the SM2-SM3 ds:Signature of CEB messages against the
// certificates of the enterprises' signing keys (the 电子口岸 IC card or
// key certificates the operator configured).
type Signatures struct {
	keys []*ecdsa.PublicKey
}

// NewSignatures reads PEM CERTIFICATE blocks of SM2 keys. It fails with
// EINVALID when a block is not a certificate of an SM2 key, or when there
// is none.
func NewSignatures(pemData []byte) (*Signatures, error) {
	v := &Signatures{}
	for rest := pemData; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := smx509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, tracegate.Invalidf("/certificates", "customs: a signing certificate does not parse: %v", err)
		}
		pub, ok := c.PublicKey.(*ecdsa.PublicKey)
		if !ok || !sm2.IsSM2PublicKey(pub) {
			return nil, tracegate.Invalidf("/certificates", "customs: certificate %q is not of an SM2 key", c.Subject.CommonName)
		}
		v.keys = append(v.keys, pub)
	}
	if len(v.keys) == 0 {
		return nil, tracegate.Invalidf("/certificates", "customs: no PEM CERTIFICATE of an SM2 key")
	}
	return v, nil
}

// Verify checks the enveloped ds:Signature of msg (a CEB message, not in a
// DXP envelope): the SM3 digest of the message's canonical form without the
// signature is its DigestValue, and its SignatureValue is an SM2 signature
// (default user ID) over the canonical SignedInfo under one of the
// configured keys. It fails with EINVALID pointing at the signature's
// element that is wrong.
func (v *Signatures) Verify(msg []byte) error {
	root, err := parseXNodes(msg)
	if err != nil {
		return err
	}
	ptr := "/" + root.local + "/Signature"
	sig, at := (*xnode)(nil), -1
	for i, k := range root.kids {
		if n, ok := k.(*xnode); ok && n.local == "Signature" && nsOf(n.prefix, root, n) == NamespaceDS {
			sig, at = n, i
		}
	}
	if sig == nil {
		return tracegate.Invalidf(ptr, "the message carries no ds:Signature")
	}
	bad := func(elem, format string, args ...any) error {
		return tracegate.Invalidf(ptr+elem, "ds:Signature: "+format, args...)
	}
	si := child(sig, "SignedInfo")
	if si == nil {
		return bad("/SignedInfo", "no SignedInfo")
	}
	if a := attr(child(si, "CanonicalizationMethod"), "Algorithm"); a != AlgC14N {
		return bad("/SignedInfo/CanonicalizationMethod", "canonicalization %q, want %s", a, AlgC14N)
	}
	if a := attr(child(si, "SignatureMethod"), "Algorithm"); a != AlgSM2SM3 {
		return bad("/SignedInfo/SignatureMethod", "signature method %q, want %s", a, AlgSM2SM3)
	}
	ref := child(si, "Reference")
	if ref == nil || attr(ref, "URI") != "" {
		return bad("/SignedInfo/Reference", `want one Reference with URI="" (the whole message)`)
	}
	enveloped := false
	if ts := child(ref, "Transforms"); ts != nil {
		for _, k := range ts.kids {
			if t, ok := k.(*xnode); ok && t.local == "Transform" {
				switch a := attr(t, "Algorithm"); a {
				case AlgEnveloped:
					enveloped = true
				case AlgC14N:
				default:
					return bad("/SignedInfo/Reference/Transforms", "transform %q is not supported", a)
				}
			}
		}
	}
	if !enveloped {
		return bad("/SignedInfo/Reference/Transforms", "want the enveloped-signature transform")
	}
	if a := attr(child(ref, "DigestMethod"), "Algorithm"); a != AlgSM3 {
		return bad("/SignedInfo/Reference/DigestMethod", "digest method %q, want %s", a, AlgSM3)
	}
	want, err := base64.StdEncoding.DecodeString(textOf(child(ref, "DigestValue")))
	if err != nil {
		return bad("/SignedInfo/Reference/DigestValue", "DigestValue is not base64")
	}
	doc := *root
	doc.kids = append(append([]any{}, root.kids[:at]...), root.kids[at+1:]...)
	got := sm3.Sum(canonicalForm(&doc, map[string]string{}))
	if !bytes.Equal(got[:], want) {
		return bad("/SignedInfo/Reference/DigestValue", "the message's SM3 digest is not the signed one: the message was changed after signing")
	}
	value, err := base64.StdEncoding.DecodeString(textOf(child(sig, "SignatureValue")))
	if err != nil {
		return bad("/SignatureValue", "SignatureValue is not base64")
	}
	if len(value) == 64 { // r || s, as the 电子口岸 clients write it
		value = asn1Signature(value)
	}
	signed := canonicalForm(si, maps2(root.ns, sig.ns))
	for _, k := range v.keys {
		if sm2.VerifyASN1WithSM2(k, nil, signed, value) {
			return nil
		}
	}
	return bad("/SignatureValue", "the SM2 signature does not verify under any configured certificate")
}

// asn1Signature encodes a raw r || s signature as ASN.1 SEQUENCE {r, s}.
func asn1Signature(rs []byte) []byte {
	out, _ := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(rs[:32]), new(big.Int).SetBytes(rs[32:])})
	return out
}

// nsOf resolves prefix at n, a child of root.
func nsOf(prefix string, root, n *xnode) string {
	if uri, ok := n.ns[prefix]; ok {
		return uri
	}
	return root.ns[prefix]
}

func child(n *xnode, local string) *xnode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if c, ok := k.(*xnode); ok && c.local == local {
			return c
		}
	}
	return nil
}

func attr(n *xnode, local string) string {
	if n == nil {
		return "\x00" // absent: matches no algorithm
	}
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return "\x00"
}

func textOf(n *xnode) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for _, k := range n.kids {
		if t, ok := k.([]byte); ok {
			b.Write(t)
		}
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, b.String())
}

// verifySignature verifies the signature of body, a CEB message or a DXP
// envelope of one.
func (s *Service) verifySignature(body []byte) error {
	root, err := parseTree(body)
	if err != nil {
		return err
	}
	msg := body
	if root.space == NamespaceDXP {
		if msg, err = unwrapDXP(root); err != nil {
			return err
		}
	}
	return s.sigs.Verify(msg)
}

// Sign returns msg (a CEB message, not in a DXP envelope) with its
// ds:Signature, if any, replaced by an enveloped SM2-SM3 signature of priv
// (the default user ID), in the form Verify checks: what an enterprise's
// client does before sending, for tests and tools. It fails with EINVALID
// when msg is not well-formed XML.
func Sign(msg []byte, priv *sm2.PrivateKey) ([]byte, error) {
	root, err := parseXNodes(msg)
	if err != nil {
		return nil, err
	}
	doc := *root
	doc.kids = nil
	for _, k := range root.kids {
		if n, ok := k.(*xnode); ok && n.local == "Signature" && nsOf(n.prefix, root, n) == NamespaceDS {
			continue
		}
		doc.kids = append(doc.kids, k)
	}
	digest := sm3.Sum(canonicalForm(&doc, map[string]string{}))
	si := `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + AlgC14N + `"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="` +
		AlgSM2SM3 + `"></ds:SignatureMethod><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="` + AlgEnveloped +
		`"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="` + AlgSM3 + `"></ds:DigestMethod><ds:DigestValue>` +
		base64.StdEncoding.EncodeToString(digest[:]) + `</ds:DigestValue></ds:Reference></ds:SignedInfo>`
	wrapped, err := parseXNodes([]byte(`<ds:Signature xmlns:ds="` + NamespaceDS + `">` + si + `</ds:Signature>`))
	if err != nil {
		return nil, err
	}
	sig, err := priv.SignWithSM2(rand.Reader, nil, canonicalForm(wrapped.kids[0].(*xnode), maps2(root.ns, wrapped.ns)))
	if err != nil {
		return nil, fmt.Errorf("customs: sign: %w", err)
	}
	// The signed document: the message without its old signature, the new
	// one last in the root element.
	var b bytes.Buffer
	b.WriteString(xml.Header)
	doc.kids = append(doc.kids, &xnode{prefix: "ds", local: "Signature", ns: map[string]string{"ds": NamespaceDS},
		kids: []any{wrapped.kids[0], &xnode{prefix: "ds", local: "SignatureValue", kids: []any{[]byte(base64.StdEncoding.EncodeToString(sig))}}}})
	canonicalize(&b, &doc, map[string]string{}, map[string]string{})
	return b.Bytes(), nil
}
