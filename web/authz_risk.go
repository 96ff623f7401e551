package web

import (
	"net/url"
	"strings"

	"tracegate"
)

// seesAllSignals: regulators and labs read every risk signal; anyone else
// (a platform) the signals it stated.
func seesAllSignals(p *tracegate.Principal) bool {
	return p.Role == tracegate.RoleRegulator || p.Role == tracegate.RoleLab
}

// canSeeSignal answers ENOTFOUND for a signal p may not see, so the
// endpoint does not tell which signals exist.
func canSeeSignal(p *tracegate.Principal, author string) error {
	if seesAllSignals(p) || (author != "" && strings.EqualFold(author, p.USCC)) {
		return nil
	}
	return tracegate.Errorf(tracegate.ENOTFOUND, "no such risk signal")
}

func urlPathEscape(s string) string { return url.PathEscape(s) }
