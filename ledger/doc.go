// Package ledger is tracegate's tamper-evident log: every committed record
// (an EPCIS event, a label issuance or binding, a customs decision, a risk
// measure) adds one leaf to an append-only Merkle tree, whose signed
// checkpoints are cosigned by witnesses and from which anyone can verify,
// offline, that a record is included and that the log only ever grew.
//
// # Parts
//
//   - tree.go, memory.go: the RFC 6962 tree of golang.org/x/mod/sumdb/tlog.
//     Its stored hashes live in tracegate's database, written by [Append] in
//     the same transaction as the records, through the [HashWriter]
//     interface the SQL stores implement. [MemoryStore] is the in-memory
//     implementation for tests, benchmarks and tools.
//   - leaf.go: the leaf format ([Leaf]) and the keyed item
//     commitments ([Committer]) that keep item codes out of the log.
//   - checkpoint.go, keys.go: C2SP checkpoints as Ed25519 signed notes
//     ([Signer], [ParseCheckpoint]) and the key file ([LoadOrCreateKey]).
//   - cosign.go, policy.go: C2SP cosignatures (type 0x04, [Cosigner]) and
//     the k-of-n witness [Policy].
//   - tiles.go: C2SP tlog-tiles resources ([ReadTile], [ReadEntryBundle]).
//   - proof.go, verify.go: inclusion and consistency proofs, the
//     c2sp.org/tlog-proof document ([InclusionProof]) and the offline
//     verifier behind `tracegate verify` ([VerifyInclusion]).
//   - audit.go, audit_match.go: [Audit] re-derives the tree from the
//     records and reports findings.
//
// The package does no I/O but reading and creating its key file (keys.go).
// The witness HTTP client is in the subpackage ledger/witness.
//
// # Leaves
//
// A leaf is a short canonical text (LEAF-FORMAT.md has the full rules):
//
//	tracegate.leaf/v1
//	kind epcis-event
//	hash ni:///sha-256;df7bb3c3...?ver=CBV2.0
//	time 2026-11-23T10:55:18.123Z
//	uscc 91350100M000100Y43
//	item <base64 of a 32-byte item commitment>
//
// It holds the record's kind, content hash, time (UTC, ms) and enterprise,
// and for records about items one commitment per item, never a raw code. The
// commitment of code is HMAC-SHA256(opening, code) with the per-item opening
// HMAC-SHA256(secret, "tracegate.item-opening/v1\n" || code). Whoever scans
// an item is given the opening of that code, the leaf and a tlog-proof
// document; from the code they scanned they recompute the commitment, find it
// in the leaf, and verify the proof ([VerifiedInclusion.HasItem]).
//
// # Wiring into a store
//
// A SQL store keeps three tables: the stored hashes (index -> 32 bytes), the
// entries (leaf index -> leaf bytes, beside the record), and the signed
// checkpoints. In the transaction that inserts records it reads the tree
// size (the number of entries), encodes one [Leaf] per record, calls
// [Append] with a [HashWriter] bound to the transaction, and inserts the
// entries; the caller then signs a checkpoint of the new size and root
// ([Signer.Sign]), gets it cosigned (witness.Client.Cosign) and stores it.
// The HTTP server serves the latest checkpoint at <prefix>/checkpoint and
// tiles at <prefix>/tile/... ([ParseTilePath], [ReadTile],
// [ReadEntryBundle] with the checkpoint's size), and proof documents
// ([NewInclusionProof]); the CLI verifies them ([VerifyInclusion],
// [VerifiedInclusion.Summary]) and audits the database ([Audit]).
//
// Errors are *tracegate.Error with the codes each function documents; store
// errors are wrapped with %w.
//
// SPEC: https://www.rfc-editor.org/rfc/rfc6962.html#section-2.1
// SPEC: https://pkg.go.dev/golang.org/x/mod/sumdb/tlog
// SPEC: https://c2sp.org/signed-note
// SPEC: https://c2sp.org/tlog-checkpoint
// SPEC: https://c2sp.org/tlog-cosignature
// SPEC: https://c2sp.org/tlog-tiles
// SPEC: https://c2sp.org/tlog-proof
// SPEC: https://c2sp.org/tlog-witness
package ledger
