// Package witness is the log's client of C2SP tlog-witness: it submits each
// new checkpoint with a consistency proof to the configured witnesses
// (add-checkpoint), collects their Ed25519 cosignatures and attaches them to
// the checkpoint, which is published once a k-of-n ledger.Policy is met.
//
// It is the one part of the ledger that does network I/O; the checkpoint,
// cosignature and policy logic it builds on is in package ledger.
//
// SPEC: https://c2sp.org/tlog-witness
// SPEC: https://c2sp.org/tlog-cosignature
// SPEC: https://c2sp.org/tlog-checkpoint
package witness
