package main

import (
	"path/filepath"

	"tracegate"
	"tracegate/label"
)

// labelSecretFile holds the label key in --data-dir: the store keeps only
// each code's HMAC under it, so a copy of the database cannot be turned
// back into printable codes.
const labelSecretFile = "label.secret"

// defaultLabelBaseURL is the origin printed into labels' QR codes unless
// TRACEGATE_LABEL_BASE_URL names the deployment's public https origin.
const defaultLabelBaseURL = "https://tracegate.example"

// openLabels returns the label service over s with the key in dataDir
// (created on first use).
func openLabels(e *env, s interface {
	label.Store
	tracegate.ProductStore
	tracegate.PartyStore
}, cs label.Declarations, dataDir string, ms label.Measures) (*label.Service, error) {
	return openLabelsWith(e, s, cs, dataDir, ms, nil)
}

// openLabelsWith is openLabels with the platforms' pre-listing check at
// dispatch (risk monitoring; nil: none).
func openLabelsWith(e *env, s interface {
	label.Store
	tracegate.ProductStore
	tracegate.PartyStore
}, cs label.Declarations, dataDir string, ms label.Measures, pl label.PreListing) (*label.Service, error) {
	secret, err := loadOrCreateSecret(filepath.Join(dataDir, labelSecretFile))
	if err != nil {
		return nil, err
	}
	return label.NewService(label.ServiceConfig{Secret: secret, BaseURL: envOr(e, "TRACEGATE_LABEL_BASE_URL", defaultLabelBaseURL),
		Parties: s, Declarations: cs, Measures: ms, PreListing: pl}, s, s)
}
