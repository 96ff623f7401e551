package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"tracegate"
	"tracegate/ledger"
)

// vkeyFingerprint is the SHA-256 of a verifier key, in the SHA256:base64
// form ssh uses: short enough to read out and compare with one published
// elsewhere (the key's own 32-bit hash is too short to trust by eye).
func vkeyFingerprint(vkey string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(vkey)))
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// fetchVKey is what verify does without --vkey: with fetch and a proof URL
// it takes the key from that server's /log/vkey and prints the key and its
// fingerprint on stderr; otherwise it fails with EINVALID saying what is
// missing and where to get it.
func fetchVKey(ctx context.Context, e *env, proof string, fetch bool) (string, error) {
	u, err := url.Parse(proof)
	isURL := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	if !fetch {
		hint := "pass --vkey with the log's verifier key (the operator publishes it; 'tracegate log vkey' prints it on the server)"
		if isURL {
			hint += ", or --fetch-vkey to take it from " + u.Scheme + "://" + u.Host + "/log/vkey and compare its fingerprint"
		}
		return "", tracegate.Invalidf("--vkey", "missing: verify needs the log's verifier key: %s", hint)
	}
	if !isURL {
		return "", tracegate.Invalidf("--fetch-vkey", "the proof %q is a file, not a URL: there is no server to fetch the key from; pass --vkey", proof)
	}
	src := u.Scheme + "://" + u.Host + "/log/vkey"
	b, err := readDocument(ctx, src)
	if err != nil {
		return "", fmt.Errorf("fetch the verifier key: %w", err)
	}
	vkey := strings.TrimSpace(string(b))
	if _, err := ledger.NewVerifier(vkey); err != nil {
		return "", fmt.Errorf("%s does not hold a verifier key: %w", src, err)
	}
	fmt.Fprintf(e.stderr, "verifier key from %s:\n  %s\n  fingerprint %s\nA key from the server it vouches for proves nothing alone: compare the fingerprint with one the operator publishes elsewhere.\n", src, vkey, vkeyFingerprint(vkey))
	return vkey, nil
}
