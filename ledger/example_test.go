package ledger_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tracegate/ledger"
)

// Example shows the life of one record: its leaf is appended in the
// store's transaction, a checkpoint is signed, and a scanner verifies the
// proof document offline and checks the item it scanned.
func Example() {
	ctx := context.Background()
	store := ledger.NewMemoryStore(0) // a SQL store's transaction in production
	committer, _ := ledger.NewCommitter([]byte(strings.Repeat("s", 32)))
	skey, vkey, _ := ledger.GenerateKey(ledger.DefaultOrigin)
	signer, _ := ledger.NewSigner(skey)

	const code = "(01)09506000134352(21)A1"
	leaf := ledger.Leaf{
		Kind:        ledger.KindEPCISEvent,
		ContentHash: "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0",
		Time:        time.Date(2026, 11, 23, 10, 55, 18, 123e6, time.UTC),
		USCC:        "91350100M000100Y43",
		Items:       [][32]byte{committer.Commit(code)},
	}
	data, err := leaf.Encode()
	if err != nil {
		panic(err)
	}
	size, root, err := ledger.Append(ctx, store, 0, [][]byte{data})
	if err != nil {
		panic(err)
	}
	signed, _ := signer.Sign(size, root)
	verifiers, _ := ledger.NewVerifiers(vkey)
	cp, _ := ledger.ParseCheckpoint(signed, verifiers)
	proof, err := ledger.NewInclusionProof(ctx, store, cp, 0, data)
	if err != nil {
		panic(err)
	}

	// The scanner's side: the proof document, the vkey, the code it scanned
	// and the opening the server disclosed for that code.
	v, err := ledger.VerifyInclusion(proof.Marshal(), vkey)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.HasItem(code, committer.Opening(code)))
	fmt.Print(strings.SplitAfter(v.Summary(), "\n")[0])
	// Output:
	// true
	// OK: entry 0 is included in tracegate.example/log at tree size 1
}
