// Package epcis is the EPCIS 2.0 event model of tracegate: the five event
// types in one Event struct, EPCISDocument and EPCISQueryDocument, streaming
// JSON-LD and XML codecs, the CBV 2.0 event hash, and validation against the
// EPCIS JSON Schema and the CBV rules.
//
// The package is pure: it reads and writes io.Reader/io.Writer values and
// imports no SQL or HTTP package.
//
// Internal forms. Standard vocabulary values (bizStep, disposition, business
// transaction, source/destination and error reason types, sensor types and
// components) are held as GS1 Web URIs such as
// https://ref.gs1.org/cbv/BizStep-shipping, whatever form they were written
// in (bare "shipping", URN urn:epcglobal:cbv:bizstep:shipping, CURIE
// cbv:BizStep-shipping). VocabForm writes them back as bare words, URNs or
// URIs. EPCs are kept as written; TranslateEPC and Event.WithEPCFormat
// translate them between EPC URNs and GS1 Digital Link URIs for the
// GS1-EPC-Format header. User extensions and ILMD are kept as Element trees
// whose names carry the namespace URI, so JSON-LD and XML give equal Events.
//
// Streaming. A Decoder reads tokens (encoding/json, encoding/xml) and holds
// one event at a time. The one exception is a JSON-LD document whose
// @context comes after its event list: its events are held until the
// context is known. XML DOCTYPE internal subsets, external identifiers and
// ENTITY declarations are refused (ErrXMLDirective); nesting is bounded.
//
// Event hash. EventHash follows CBV 2.0 section 8.9 as the reference
// implementation (RalphTro/epcis-event-hash-generator) computes it, which the
// test vectors under testdata/epcis/hash-vectors pin down. Where the
// vectors and the prose differ the vectors win: certificationInfo is hashed
// (right after eventTimeZoneOffset), parentID comes before epcList, and
// bizTransactionList, sourceList, destinationList, ilmd and user extensions
// are sorted together after sensorElementList.
//
// The EPC URN / Digital Link translations are gs1's (gs1/epc_link.go);
// epc_translate.go names the ones epcis uses.
//
// SPEC: https://ref.gs1.org/standards/epcis/ (EPCIS 2.0.1)
// SPEC: https://ref.gs1.org/standards/cbv/ (CBV 2.0, section 8.9 event hash)
// SPEC: https://ref.gs1.org/standards/epcis/epcis-json-schema.json
// SPEC: https://ref.gs1.org/standards/digital-link/ (GS1 Digital Link URI syntax)
// SPEC: https://github.com/RalphTro/epcis-event-hash-generator (hash reference)
package epcis
