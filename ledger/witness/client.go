package witness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"tracegate"
	"tracegate/ledger"
)

// maxResponse bounds a witness's response body.
const maxResponse = 64 << 10

// Witness is one witness: its cosignature verifier and its submission URL
// prefix (add-checkpoint is POSTed to URL + "/add-checkpoint").
type Witness struct {
	URL      string
	Verifier note.Verifier
}

// NewWitness returns the witness of the cosignature verifier key vkey
// (type 0x04) at the submission prefix url. It fails with EINVALID when
// vkey is not a cosignature key or url is not an http(s) URL.
func NewWitness(vkey, url string) (*Witness, error) {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return nil, tracegate.Errorf(tracegate.EINVALID, "witness: URL %q is not http(s)", url)
	}
	v, err := ledger.NewWitnessVerifier(vkey)
	if err != nil {
		return nil, err
	}
	return &Witness{URL: strings.TrimSuffix(url, "/"), Verifier: v}, nil
}

// Name returns the witness's name, the name of its key.
func (w *Witness) Name() string { return w.Verifier.Name() }

// ConflictError is returned by AddCheckpoint when the witness answered 409
// Conflict: the old size is not the size it last cosigned (Size then says
// which, and the request can be retried with a proof from there), or the
// checkpoint has the size it last cosigned but another root (Size is -1).
type ConflictError struct {
	Witness string
	Size    int64
}

// Error says which witness conflicted and on what size.
func (e *ConflictError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("witness %s: conflict: it cosigned another root at this size", e.Witness)
	}
	return fmt.Sprintf("witness %s: conflict: it last cosigned size %d", e.Witness, e.Size)
}

// StatusError is returned by AddCheckpoint for any other non-200 answer:
// 400 (bad request), 403 (log signature not trusted), 404 (unknown origin),
// 422 (the consistency proof does not verify: a fork, or a bad proof).
type StatusError struct {
	Witness string
	Status  int
	Body    string
}

// Error says which witness answered which status, with the start of its body.
func (e *StatusError) Error() string {
	return fmt.Sprintf("witness %s: HTTP %d: %.200s", e.Witness, e.Status, e.Body)
}

// Client submits checkpoints to witnesses and remembers, per witness, the
// size each last cosigned. It is safe for concurrent use.
type Client struct {
	http  *http.Client
	mu    sync.Mutex
	sizes map[string]int64
}

// NewClient returns a Client that uses hc (nil means a client with a 10 s
// timeout).
func NewClient(hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{http: hc, sizes: map[string]int64{}}
}

// KnownSize returns the size w last cosigned as far as c knows (0 if never).
func (c *Client) KnownSize(w *Witness) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sizes[w.Name()]
}

// SetKnownSize records that w last cosigned size (e.g. restored from the
// database at start-up, saving a 409 round trip).
func (c *Client) SetKnownSize(w *Witness, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sizes[w.Name()] = size
}

// AddCheckpoint makes one add-checkpoint request: it POSTs oldSize, the
// consistency proof from oldSize and the signed checkpoint to w, and returns
// w's cosignature lines, verified against w's key on the checkpoint (lines
// from other keys are dropped). It fails with a *ConflictError for 409, a
// *StatusError for other HTTP errors, an EINVALID error when the 200
// response has no valid cosignature by w, and with the transport's error.
func (c *Client) AddCheckpoint(ctx context.Context, w *Witness, oldSize int64, proof []tlog.Hash, signed []byte) ([]byte, error) {
	var body bytes.Buffer
	fmt.Fprintf(&body, "old %d\n", oldSize)
	for _, h := range proof {
		body.WriteString(h.String() + "\n")
	}
	body.WriteString("\n")
	body.Write(signed)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL+"/add-checkpoint", &body)
	if err != nil {
		return nil, fmt.Errorf("witness %s: %w", w.Name(), err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("witness %s: %w", w.Name(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, fmt.Errorf("witness %s: read response: %w", w.Name(), err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusConflict:
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/x.tlog.size") {
			s := strings.TrimSuffix(string(data), "\n")
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return nil, &StatusError{w.Name(), resp.StatusCode, string(data)}
			}
			c.SetKnownSize(w, n)
			return nil, &ConflictError{w.Name(), n}
		}
		return nil, &ConflictError{w.Name(), -1}
	default:
		return nil, &StatusError{w.Name(), resp.StatusCode, string(data)}
	}
	lines, err := cosignatures(w, signed, data)
	if err != nil {
		return nil, err
	}
	return lines, nil
}

// cosignatures keeps the response lines that are valid cosignatures by w
// on the checkpoint signed.
func cosignatures(w *Witness, signed, resp []byte) ([]byte, error) {
	split := bytes.LastIndex(signed, []byte("\n\n"))
	if split < 0 {
		return nil, tracegate.Errorf(tracegate.EINVALID, "witness: not a signed note")
	}
	text := signed[:split+1]
	var out []byte
	for _, line := range strings.SplitAfter(string(resp), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "— "+w.Name()+" ") || !strings.HasSuffix(line, "\n") {
			continue
		}
		msg := append(append(bytes.Clone(text), '\n'), line...)
		if _, err := note.Open(msg, note.VerifierList(w.Verifier)); err != nil {
			continue
		}
		out = append(out, line...)
	}
	if len(out) == 0 {
		return nil, tracegate.Errorf(tracegate.EINVALID, "witness %s: response has no valid cosignature", w.Name())
	}
	return out, nil
}

// Cosign gets signed (a checkpoint signed by the log) cosigned by the
// witnesses, in parallel, with consistency proofs read from r (which must
// be safe for concurrent use and hold the checkpoint's tree). A witness that
// answers 409 with another size is retried once with a proof from that
// size. It returns the checkpoint with every valid cosignature attached,
// verified by policy.
//
// When fewer than policy.Quorum witnesses cosigned, it returns the
// checkpoint with the cosignatures it got and an error that wraps
// ledger.ErrQuorum and each witness's error (errors.Is/As work on it). It
// fails with EINVALID when signed does not verify under policy's log key.
func (c *Client) Cosign(ctx context.Context, r ledger.HashReader, signed []byte, witnesses []*Witness, policy *ledger.Policy) ([]byte, error) {
	cp, err := ledger.ParseCheckpoint(signed, policy.Verifiers())
	if err != nil {
		return nil, err
	}
	type result struct {
		lines []byte
		err   error
	}
	results := make([]result, len(witnesses))
	var wg sync.WaitGroup
	for i, w := range witnesses {
		wg.Go(func() {
			results[i].lines, results[i].err = c.cosignOne(ctx, r, cp, w)
		})
	}
	wg.Wait()
	out := cp.Signed
	var errs []error
	for _, res := range results {
		if res.err != nil {
			errs = append(errs, res.err)
			continue
		}
		if out, err = ledger.AddSignatures(out, res.lines); err != nil {
			return nil, err
		}
	}
	if _, err := policy.Verify(out); err != nil {
		return out, errors.Join(append([]error{err}, errs...)...)
	}
	return out, nil
}

// cosignOne gets one witness's cosignature on cp, retrying once from the
// size a 409 names.
func (c *Client) cosignOne(ctx context.Context, r ledger.HashReader, cp *ledger.Checkpoint, w *Witness) ([]byte, error) {
	old := c.KnownSize(w)
	for try := 0; ; try++ {
		if old > cp.Size {
			return nil, fmt.Errorf("witness %s: it cosigned size %d, larger than checkpoint %d", w.Name(), old, cp.Size)
		}
		proof, err := ledger.ProveConsistency(ctx, r, old, cp.Size)
		if err != nil {
			return nil, err
		}
		lines, err := c.AddCheckpoint(ctx, w, old, proof, cp.Signed)
		var conflict *ConflictError
		if errors.As(err, &conflict) && conflict.Size >= 0 && try == 0 {
			old = conflict.Size
			continue
		}
		if err != nil {
			return nil, err
		}
		c.SetKnownSize(w, cp.Size)
		return lines, nil
	}
}
