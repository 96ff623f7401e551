package epcis

import (
	"context"
	"strings"

	"tracegate"
)

// CompanyPrefixStore keeps the GS1 company prefixes registered to
// enterprises (by a regulator): the identity under which an enterprise is
// a party of events (their sources, destinations and business
// transactions name its GLNs) and owns its locations' master data and its
// GTINs. A prefix belongs to one enterprise.
type CompanyPrefixStore interface {
	// RegisterCompanyPrefix registers prefix to an enterprise. It fails
	// with ECONFLICT when another enterprise holds the prefix and with
	// ENOTFOUND for an unknown enterprise; registering it again is a no-op.
	RegisterCompanyPrefix(ctx context.Context, enterpriseID int64, prefix string) error
	// CompanyPrefixes lists an enterprise's prefixes in order.
	CompanyPrefixes(ctx context.Context, enterpriseID int64) ([]string, error)
	// CompanyPrefixOwner returns the enterprise whose registered prefix is
	// the longest one that starts digits (a GLN, or a GTIN without its
	// indicator digit), or 0 when none is.
	CompanyPrefixOwner(ctx context.Context, digits string) (int64, error)
}

// ParseCompanyPrefix checks a GS1 company prefix: 4 to 12 digits. It fails
// with EINVALID pointing at "/prefix".
func ParseCompanyPrefix(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) < 4 || len(s) > 12 || strings.Trim(s, "0123456789") != "" {
		return "", tracegate.Invalidf("/prefix", "a GS1 company prefix is 4 to 12 digits, not %q", s)
	}
	return s, nil
}

// GTINPrefixDigits returns the digits of a GTIN-14 that its company prefix
// starts (the GTIN without its indicator digit), or "".
func GTINPrefixDigits(gtin14 string) string {
	if len(gtin14) != 14 {
		return ""
	}
	return gtin14[1:]
}
