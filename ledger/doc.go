// Package ledger is tracegate's tamper-evident log: every committed record
// (an EPCIS event, a label issuance or binding, a customs decision, a risk
// measure) adds one leaf to an append-only Merkle tree, whose signed
// checkpoints are cosigned by witnesses and from which anyone can verify,
// offline, that a record is included and that the log only ever grew.
//
// The parts, one file each:
//
//   - tree.go: the RFC 6962 tree of golang.org/x/mod/sumdb/tlog. Its stored
//     hashes live in tracegate's database, written by [Append] in the same
//     transaction as the records, through the [HashWriter] interface the SQL
//     stores implement. [MemoryStore] is the in-memory implementation.
//   - leaf.go, commit.go: the leaf format ([Leaf], see LEAF-FORMAT.md) and the
//     keyed item commitments ([Committer]) that keep item codes out of the log.
//   - checkpoint.go, keys.go: C2SP checkpoints as Ed25519 signed notes.
//   - cosign.go: C2SP cosignatures (type 0x04) and the k-of-n witness policy.
//   - tiles.go: C2SP tlog-tiles resources (hash tiles and entry bundles).
//   - proof.go, verify.go: inclusion and consistency proofs, the c2sp.org/tlog-proof
//     document, and the offline verifier behind `tracegate verify`.
//   - audit.go: re-derives the tree from the records and reports findings.
//
// The package does no I/O but reading and writing its key file (keys.go);
// the witness HTTP client is in the subpackage ledger/witness.
//
// SPEC: https://www.rfc-editor.org/rfc/rfc6962.html#section-2.1
// SPEC: https://c2sp.org/tlog-checkpoint
// SPEC: https://c2sp.org/signed-note
// SPEC: https://c2sp.org/tlog-tiles
// SPEC: https://c2sp.org/tlog-proof
// SPEC: https://c2sp.org/tlog-cosignature
// SPEC: https://c2sp.org/tlog-witness
// SPEC: https://pkg.go.dev/golang.org/x/mod/sumdb/tlog
package ledger
