package witness

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate/ledger"
)

// testWitness is a witness written from c2sp.org/tlog-witness for these
// tests: it keeps the latest cosigned size and root per origin, checks and
// updates them atomically, and cosigns with its own Ed25519 key
// (c2sp.org/tlog-cosignature).
type testWitness struct {
	cosigner *ledger.Cosigner
	logs     map[string]note.Verifier // origin -> log key

	mu     sync.Mutex
	state  map[string]tlog.Tree
	down   bool // answer 503 to everything
	forged bool // answer with a cosignature by another key
	calls  int
}

func (w *testWitness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock() // one request at a time: check and update are atomic
	defer w.mu.Unlock()
	w.calls++
	if w.down {
		http.Error(rw, "down", http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/add-checkpoint" {
		http.Error(rw, "not found", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(rw, "read", http.StatusBadRequest)
		return
	}
	oldSize, proof, signed, err := parseAddCheckpoint(body)
	if err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	// The origin is the first line of the checkpoint.
	origin, _, _ := strings.Cut(string(signed), "\n")
	lv, ok := w.logs[origin]
	if !ok {
		http.Error(rw, "unknown log", http.StatusNotFound)
		return
	}
	cp, err := ledger.ParseCheckpoint(signed, note.VerifierList(lv))
	if err != nil {
		http.Error(rw, "bad signature", http.StatusForbidden)
		return
	}
	if oldSize > cp.Size {
		http.Error(rw, "old size > size", http.StatusBadRequest)
		return
	}
	last := w.state[origin]
	if oldSize != last.N {
		rw.Header().Set("Content-Type", "text/x.tlog.size")
		rw.WriteHeader(http.StatusConflict)
		fmt.Fprintf(rw, "%d\n", last.N)
		return
	}
	if oldSize == 0 && len(proof) != 0 {
		http.Error(rw, "proof from 0 must be empty", http.StatusBadRequest)
		return
	}
	if oldSize == cp.Size && cp.Root != last.Hash {
		http.Error(rw, "different root at the same size", http.StatusConflict)
		return
	}
	if oldSize > 0 && oldSize < cp.Size {
		if err := tlog.CheckTree(proof, cp.Size, cp.Root, oldSize, last.Hash); err != nil {
			http.Error(rw, "consistency proof does not verify", http.StatusUnprocessableEntity)
			return
		}
	}
	w.state[origin] = tlog.Tree{N: cp.Size, Hash: cp.Root}
	signer := note.Signer(w.cosigner)
	if w.forged {
		other, _, _ := ledger.GenerateWitnessKey(w.cosigner.Name())
		signer, _ = ledger.NewCosigner(other, nil)
	}
	out, err := note.Sign(&note.Note{Text: string(cp.Text())}, signer)
	if err != nil {
		http.Error(rw, err.Error(), http.StatusInternalServerError)
		return
	}
	rw.Write(out[len(cp.Text())+1:])
}

func parseAddCheckpoint(body []byte) (old int64, proof []tlog.Hash, signed []byte, err error) {
	head, signed, ok := bytes.Cut(body, []byte("\n\n"))
	if !ok {
		return 0, nil, nil, errors.New("no blank line")
	}
	lines := strings.Split(string(head), "\n")
	s, ok := strings.CutPrefix(lines[0], "old ")
	if !ok {
		return 0, nil, nil, errors.New("no old line")
	}
	old, err = strconv.ParseInt(s, 10, 64)
	if err != nil || old < 0 || strconv.FormatInt(old, 10) != s {
		return 0, nil, nil, errors.New("bad old size")
	}
	if len(lines)-1 > 63 {
		return 0, nil, nil, errors.New("too many proof lines")
	}
	for _, l := range lines[1:] {
		h, err := base64.StdEncoding.DecodeString(l)
		if err != nil || len(h) != 32 {
			return 0, nil, nil, errors.New("bad proof line")
		}
		proof = append(proof, tlog.Hash(h))
	}
	return old, proof, signed, nil
}
