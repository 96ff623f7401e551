package ledger

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// CosignFunc gets a signed checkpoint cosigned by witnesses; the witness
// client's Cosign fits it through a small adapter. It returns the
// checkpoint with the cosignatures attached.
type CosignFunc func(ctx context.Context, signed []byte) ([]byte, error)

// Publisher signs and stores a checkpoint whenever the tree has grown.
type Publisher struct {
	Store  Store
	Signer *Signer
	// Cosign, when set, gets each checkpoint cosigned before it is stored;
	// a checkpoint the witnesses do not cosign is not published.
	Cosign CosignFunc
	// Verifiers parse the latest stored checkpoint (the log's key).
	Verifiers note.Verifiers
	// Seen, when set, records each checkpoint the publisher signs or reads
	// outside the database (see LastSeen).
	Seen *LastSeen
}

// PublishOnce publishes a checkpoint of the current tree when it is larger
// than the latest published one. It reports the published size (0 when
// nothing was published) and fails when the store or the witnesses fail.
func (p *Publisher) PublishOnce(ctx context.Context) (int64, error) {
	size, err := p.Store.LedgerSize(ctx)
	if err != nil {
		return 0, err
	}
	if latest, err := p.Store.LatestCheckpoint(ctx); err == nil {
		cp, err := ParseCheckpoint(latest, p.Verifiers)
		if err != nil {
			return 0, fmt.Errorf("ledger: stored checkpoint: %w", err)
		}
		if p.Seen != nil {
			if err := p.Seen.Observe(latest); err != nil {
				return 0, err
			}
		}
		if cp.Size >= size {
			return 0, nil
		}
	} else if size == 0 {
		return 0, nil
	}
	root, err := TreeRoot(ctx, p.Store, size)
	if err != nil {
		return 0, err
	}
	signed, err := p.Signer.Sign(size, root)
	if err != nil {
		return 0, err
	}
	if p.Cosign != nil {
		if signed, err = p.Cosign(ctx, signed); err != nil {
			return 0, fmt.Errorf("ledger: witnesses: %w", err)
		}
	}
	if err := p.Store.SaveCheckpoint(ctx, size, signed); err != nil {
		return 0, err
	}
	if p.Seen != nil {
		if err := p.Seen.Observe(signed); err != nil {
			return 0, err
		}
	}
	return size, nil
}

// Run publishes every interval until ctx is done, reporting failures to
// onError (which may be nil).
func (p *Publisher) Run(ctx context.Context, interval time.Duration, onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := p.PublishOnce(ctx); err != nil && onError != nil && ctx.Err() == nil {
			onError(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
