// Package risk is risk monitoring (风险监测, issue 14): signals from port
// inspection, labs, spot checks, consumer complaints, epidemic and
// trade-barrier notices, foreign notices and barcode analytics; a
// transparent, decaying score per subject (GTIN, batch, HS code, origin,
// manufacturer, enterprise) kept incrementally; warnings for the regulator
// when a subject crosses a threshold, confirmed into a draft measure or
// dismissed, each step in the ledger (leaf kind risk-warning); the
// monitoring centre's view answered to customs screening; the stock
// search; lab orders and results; expert cases; the overview.
//
// Scores. A signal's weight is weight(kind) × weight(severity) ×
// repeat^(k−1), where k is its rank among the signals of the same source on
// the same subject (so independent sources add up and one source repeating
// itself approaches 1/(1−repeat) of one signal), and it halves every
// half-life after it was observed. Because every contribution decays at the
// same rate, a subject's score is kept as one number, the log2 of its
// contributions' sum normalised to Epoch (Score = 2^(lsum − age/halfLife)),
// and a new signal only adds to the aggregates of its own subjects: no
// rescan. Experts (智库) are enterprises of role lab: a case invites labs by
// USCC (see case.go).
//
// SPEC: the EU Safety Gate and RASFF notification fields
// (https://ec.europa.eu/safety-gate, https://food.ec.europa.eu/safety/rasff_en)
// shape external_notice; GS1 CBV 2.0 (https://ref.gs1.org/cbv/) names the
// inspection events' bizStep and disposition.
package risk
