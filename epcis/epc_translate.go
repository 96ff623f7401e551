package epcis

// This file names the EPC URN ↔ Digital Link translations epcis uses (the
// CBV 2.0 event hash and the GS1-EPC-Format header); the translations
// themselves are gs1's (gs1/epc_link.go).

import "tracegate/gs1"

// urnToDL converts an EPC URN, EPC class URN or EPC pattern URN to its
// canonical GS1 Digital Link URI (gs1.EPCURNToLink). ok is false for
// anything else.
func urnToDL(s string) (string, bool) { return gs1.EPCURNToLink(s) }

// canonicalDL returns the constrained canonical form of a Digital Link URI
// that the CBV 2.0 event hash uses (gs1.ConstrainedLink). ok is false when
// s is not a Digital Link.
func canonicalDL(s string) (string, bool) { return gs1.ConstrainedLink(s) }

// dlToURN converts a Digital Link URI to its EPC URN, with gcpLen (6 to 12)
// the company prefix length (gs1.LinkToEPCURN). ok is false when s cannot
// be translated.
func dlToURN(s string, gcpLen int) (string, bool) { return gs1.LinkToEPCURN(s, gcpLen) }
