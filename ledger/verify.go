package ledger

import (
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// VerifiedInclusion is what VerifyInclusion proved: the leaf LeafData is at
// Index in the tree of Checkpoint, signed by the log and cosigned by
// Witnesses.
type VerifiedInclusion struct {
	Checkpoint *Checkpoint
	Index      int64
	LeafData   []byte
	// Leaf is LeafData decoded, or nil when it is not a tracegate leaf
	// (LeafError then says why).
	Leaf      *Leaf
	LeafError error
	Witnesses []string
}

// VerifyInclusion verifies a proof document (text or JSON, see
// ParseInclusionProof) offline with the log's verifier key vkey alone: the
// checkpoint must be signed by that key, and the leaf in the proof's extra
// data must hash, through the proof, to the checkpoint's root. Witness
// cosignatures are not required; use Policy.VerifyInclusion for that.
// It fails as Policy.VerifyInclusion does.
func VerifyInclusion(doc []byte, vkey string) (*VerifiedInclusion, error) {
	p, err := NewPolicy(vkey, nil, 0)
	if err != nil {
		return nil, err
	}
	return p.VerifyInclusion(doc)
}

// VerifyInclusion verifies a proof document offline against the policy:
// the checkpoint is signed by the log and cosigned by a quorum of witnesses,
// and the leaf carried in the proof's extra data is included in its tree.
// It fails with EINVALID when the document is malformed, has no leaf, the
// checkpoint fails Policy.Verify, or the proof does not lead to the root.
func (p *Policy) VerifyInclusion(doc []byte) (*VerifiedInclusion, error) {
	proof, err := ParseInclusionProof(doc)
	if err != nil {
		return nil, err
	}
	if len(proof.Extra) == 0 {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: proof carries no leaf in its extra data")
	}
	cp, err := p.Verify(proof.Checkpoint)
	if err != nil {
		return nil, err
	}
	if proof.Index >= cp.Size {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: index %d is not in a tree of %d", proof.Index, cp.Size)
	}
	if err := tlog.CheckRecord(proof.Hashes, cp.Size, cp.Root, proof.Index, tlog.RecordHash(proof.Extra)); err != nil {
		return nil, &tracegate.Error{Code: tracegate.EINVALID, Err: err,
			Message: fmt.Sprintf("ledger: the proof does not show leaf %d in checkpoint %d of %s", proof.Index, cp.Size, cp.Origin)}
	}
	v := &VerifiedInclusion{Checkpoint: cp, Index: proof.Index, LeafData: proof.Extra, Witnesses: p.Witnessed(cp)}
	v.Leaf, v.LeafError = ParseLeaf(proof.Extra)
	return v, nil
}

// HasItem reports whether the verified leaf commits to the item code, given
// the opening the log disclosed for it (see Committer).
func (v *VerifiedInclusion) HasItem(code string, opening [32]byte) bool {
	return v.Leaf != nil && v.Leaf.HasItem(ItemCommitment(code, opening))
}

// Summary returns a few human-readable lines saying what was proved, for
// `tracegate verify`.
func (v *VerifiedInclusion) Summary() string {
	var b strings.Builder
	cp := v.Checkpoint
	fmt.Fprintf(&b, "OK: entry %d is included in %s at tree size %d\n", v.Index, cp.Origin, cp.Size)
	fmt.Fprintf(&b, "  root hash  %s (signed by the log key)\n", cp.Root)
	if len(v.Witnesses) == 0 {
		b.WriteString("  witnesses  none required, none counted\n")
	} else {
		fmt.Fprintf(&b, "  witnesses  %d cosigned: %s\n", len(v.Witnesses), strings.Join(v.Witnesses, ", "))
	}
	if v.Leaf == nil {
		fmt.Fprintf(&b, "  leaf       %d bytes, not a tracegate leaf: %v\n", len(v.LeafData), v.LeafError)
		return b.String()
	}
	l := v.Leaf
	fmt.Fprintf(&b, "  record     %s\n", l.Kind)
	fmt.Fprintf(&b, "  content    %s\n", l.ContentHash)
	fmt.Fprintf(&b, "  time       %s\n", l.Time.Format(leafTime))
	fmt.Fprintf(&b, "  enterprise %s\n", l.USCC)
	fmt.Fprintf(&b, "  items      %d committed\n", len(l.Items))
	return b.String()
}

// VerifyConsistency checks the consistency proof that the tree of checkpoint
// newer extends the tree of checkpoint older. It fails with EINVALID when
// the origins differ, older is larger, or the proof does not verify (for
// equal sizes: the roots differ).
func VerifyConsistency(proof []tlog.Hash, older, newer *Checkpoint) error {
	if older.Origin != newer.Origin {
		return tracegate.Errorf(tracegate.EINVALID, "ledger: checkpoints of %q and %q", older.Origin, newer.Origin)
	}
	if older.Size > newer.Size {
		return tracegate.Errorf(tracegate.EINVALID, "ledger: checkpoint %d is older than %d", older.Size, newer.Size)
	}
	if err := checkConsistency(proof, older.Size, older.Root, newer.Size, newer.Root); err != nil {
		return &tracegate.Error{Code: tracegate.EINVALID, Err: err,
			Message: fmt.Sprintf("ledger: checkpoint %d is not consistent with checkpoint %d", newer.Size, older.Size)}
	}
	return nil
}

// checkConsistency is tlog.CheckTree with RFC 6962's edge cases: from the
// empty tree any proof must be empty, and equal sizes need equal roots.
func checkConsistency(proof []tlog.Hash, oldSize int64, oldRoot tlog.Hash, newSize int64, newRoot tlog.Hash) error {
	switch {
	case oldSize == 0:
		if len(proof) != 0 {
			return fmt.Errorf("non-empty proof from the empty tree")
		}
		return nil
	case oldSize == newSize:
		if len(proof) != 0 || oldRoot != newRoot {
			return fmt.Errorf("different roots at size %d", oldSize)
		}
		return nil
	}
	return tlog.CheckTree(proof, newSize, newRoot, oldSize, oldRoot)
}
