package ledger

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
)

// ProofHeader is the first line of a c2sp.org/tlog-proof document.
const ProofHeader = "c2sp.org/tlog-proof@v1"

// maxProofHashes bounds the hashes of an inclusion proof (a tree of 2^63
// leaves needs 63).
const maxProofHashes = 63

// ProveInclusion returns the RFC 6962 inclusion proof of the leaf at index
// in the tree of treeSize leaves stored in r: the hashes from the leaf's
// sibling up to the root's child. It fails with EINVALID when a size is
// negative, ENOTFOUND when index >= treeSize, and with r's error when the
// hashes cannot be read.
func ProveInclusion(ctx context.Context, r HashReader, treeSize, index int64) ([]tlog.Hash, error) {
	if treeSize < 0 || index < 0 {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: negative index %d or tree size %d", index, treeSize)
	}
	if index >= treeSize {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "ledger: no leaf %d in a tree of %d", index, treeSize)
	}
	p, err := tlog.ProveRecord(treeSize, index, tlogReader(ctx, r))
	if err != nil {
		return nil, fmt.Errorf("ledger: prove leaf %d in tree %d: %w", index, treeSize, err)
	}
	return p, nil
}

// ProveConsistency returns the RFC 6962 consistency proof from the tree of
// oldSize leaves to the tree of newSize, both stored in r; it is empty when
// oldSize is 0 or equals newSize. It fails with EINVALID when oldSize is
// negative or larger than newSize, and with r's error when reading fails.
func ProveConsistency(ctx context.Context, r HashReader, oldSize, newSize int64) ([]tlog.Hash, error) {
	if oldSize < 0 || oldSize > newSize {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: no consistency proof from size %d to %d", oldSize, newSize)
	}
	if oldSize == 0 || oldSize == newSize {
		return []tlog.Hash{}, nil
	}
	p, err := tlog.ProveTree(newSize, oldSize, tlogReader(ctx, r))
	if err != nil {
		return nil, fmt.Errorf("ledger: prove tree %d consistent with %d: %w", newSize, oldSize, err)
	}
	return p, nil
}

// InclusionProof is a c2sp.org/tlog-proof document: a self-contained,
// offline-verifiable proof that a leaf is in the log. tracegate puts the
// leaf itself in Extra, so the verifier needs only the log's key (and the
// witnesses' keys). Its text form (Marshal) is the spec's; its JSON form,
// for the HTTP API, is {"index", "hashes", "checkpoint", "extra"} with the
// hashes and extra in base64 and the checkpoint as a string.
type InclusionProof struct {
	Index int64
	// Hashes is the inclusion proof, from the leaf's sibling up.
	Hashes []tlog.Hash
	// Checkpoint is the signed checkpoint, with its cosignatures, verbatim.
	Checkpoint []byte
	// Extra is unauthenticated extra data: the leaf, in tracegate's proofs.
	Extra []byte
}

// NewInclusionProof returns the proof document that leaf is at index in
// the tree of checkpoint cp, reading the proof hashes from r. It fails as
// ProveInclusion does, with EINVALID when cp has no signed form, and with
// EINTERNAL when the proof does not lead from leaf to cp's root (the stored
// hashes or the leaf are not those of the checkpointed tree).
func NewInclusionProof(ctx context.Context, r HashReader, cp *Checkpoint, index int64, leaf []byte) (*InclusionProof, error) {
	if cp == nil || len(cp.Signed) == 0 {
		return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: inclusion proof needs a signed checkpoint")
	}
	hashes, err := ProveInclusion(ctx, r, cp.Size, index)
	if err != nil {
		return nil, err
	}
	if err := tlog.CheckRecord(hashes, cp.Size, cp.Root, index, tlog.RecordHash(leaf)); err != nil {
		return nil, &tracegate.Error{Code: tracegate.EINTERNAL, Message: fmt.Sprintf("ledger: leaf %d does not lead to the root of checkpoint %d", index, cp.Size), Err: err}
	}
	return &InclusionProof{Index: index, Hashes: hashes, Checkpoint: bytes.Clone(cp.Signed), Extra: bytes.Clone(leaf)}, nil
}

// Marshal returns the c2sp.org/tlog-proof@v1 text of p.
func (p *InclusionProof) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(ProofHeader + "\n")
	if len(p.Extra) > 0 {
		b.WriteString("extra " + base64.StdEncoding.EncodeToString(p.Extra) + "\n")
	}
	fmt.Fprintf(&b, "index %d\n", p.Index)
	for _, h := range p.Hashes {
		b.WriteString(h.String() + "\n")
	}
	b.WriteString("\n")
	b.Write(p.Checkpoint)
	return b.Bytes()
}

// ParseInclusionProof parses a proof document in the text form of
// c2sp.org/tlog-proof@v1, or in the JSON form when data starts with '{'.
// It does not verify anything (see VerifyInclusion). It fails with EINVALID
// when the header, the extra or index line, a hash, or the blank line before
// the checkpoint is missing or malformed, or there are more than 63 hashes.
func ParseInclusionProof(data []byte) (*InclusionProof, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var p InclusionProof
		if err := json.Unmarshal(t, &p); err != nil {
			return nil, &tracegate.Error{Code: tracegate.EINVALID, Message: "ledger: proof JSON: " + err.Error(), Err: err}
		}
		if p.Index < 0 || len(p.Hashes) > maxProofHashes || len(p.Checkpoint) == 0 {
			return nil, tracegate.Errorf(tracegate.EINVALID, "ledger: proof JSON lacks an index, hashes or checkpoint")
		}
		return &p, nil
	}
	bad := func(format string, args ...any) error {
		return tracegate.Errorf(tracegate.EINVALID, "ledger: tlog-proof: "+format, args...)
	}
	head, cp, ok := strings.Cut(string(data), "\n\n")
	if !ok || cp == "" {
		return nil, bad("no blank line before the checkpoint")
	}
	lines := strings.Split(head, "\n")
	if lines[0] != ProofHeader {
		return nil, bad("first line is not %q", ProofHeader)
	}
	lines = lines[1:]
	p := &InclusionProof{Checkpoint: []byte(cp)}
	if len(lines) > 0 && strings.HasPrefix(lines[0], "extra ") {
		x, err := base64.StdEncoding.Strict().DecodeString(strings.TrimPrefix(lines[0], "extra "))
		if err != nil || len(x) == 0 {
			return nil, bad("extra is not base64")
		}
		p.Extra, lines = x, lines[1:]
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "index ") {
		return nil, bad("no index line")
	}
	s := strings.TrimPrefix(lines[0], "index ")
	idx, err := strconv.ParseInt(s, 10, 64)
	if err != nil || idx < 0 || strconv.FormatInt(idx, 10) != s {
		return nil, bad("index %.30q is not a decimal without leading zeros", s)
	}
	p.Index = idx
	if len(lines)-1 > maxProofHashes {
		return nil, bad("more than %d hashes", maxProofHashes)
	}
	for _, l := range lines[1:] {
		h, err := base64.StdEncoding.Strict().DecodeString(l)
		if err != nil || len(h) != tlog.HashSize {
			return nil, bad("line %.60q is not a base64 hash", l)
		}
		p.Hashes = append(p.Hashes, tlog.Hash(h))
	}
	return p, nil
}

type proofJSON struct {
	Index      int64       `json:"index"`
	Hashes     []tlog.Hash `json:"hashes"`
	Checkpoint string      `json:"checkpoint"`
	Extra      []byte      `json:"extra,omitempty"`
}

// MarshalJSON returns the JSON form of p. It does not fail.
func (p *InclusionProof) MarshalJSON() ([]byte, error) {
	hs := p.Hashes
	if hs == nil {
		hs = []tlog.Hash{}
	}
	return json.Marshal(proofJSON{p.Index, hs, string(p.Checkpoint), p.Extra})
}

// UnmarshalJSON parses the JSON form of a proof. It fails on malformed JSON
// or a hash that is not 32 bytes of base64.
func (p *InclusionProof) UnmarshalJSON(data []byte) error {
	var j proofJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*p = InclusionProof{Index: j.Index, Hashes: j.Hashes, Checkpoint: []byte(j.Checkpoint), Extra: j.Extra}
	return nil
}
