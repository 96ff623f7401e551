package gs1

import "fmt"

// Rules reported in Error.Rule. They are stable identifiers: callers may
// switch on them.
const (
	RuleSyntax              = "syntax"                // the input is not shaped like the expected form
	RuleUnknownAI           = "unknown-ai"            // the AI is not in the syntax dictionary
	RuleLength              = "length"                // the value is too short or too long
	RuleCharset             = "charset"               // a character is outside the AI's character set
	RuleCheckDigit          = "check-digit"           // the GS1 check digit (or check character pair) is wrong
	RuleDate                = "date"                  // a date or time component is not valid
	RuleContent             = "content"               // another linter of the dictionary failed
	RuleNotPrimaryKey       = "not-primary-key"       // no Digital Link primary key where one is needed
	RuleQualifierOrder      = "qualifier-order"       // key qualifiers out of order or from two alternatives
	RuleQualifierNotAllowed = "qualifier-not-allowed" // the AI is not a qualifier of the path's primary key
	RuleQualifierInQuery    = "qualifier-in-query"    // a key qualifier given as a query attribute
	RuleRepeatedAI          = "repeated-ai"           // the same AI twice (with different values, for element strings)
	RuleNotAttribute        = "not-attribute"         // the AI may not be a Digital Link data attribute
	RuleExclusive           = "exclusive"             // the dictionary's ex= forbids this pair of AIs
	RuleRequisite           = "requisite"             // the dictionary's req= is not satisfied
	RuleTooMany             = "too-many-ais"          // more AIs than MaxAIs
	RuleCompanyPrefix       = "company-prefix"        // the GS1 company prefix length is unknown or wrong
)

// Error is the error of every function in this package. AI is the
// Application Identifier concerned ("01", "8004"), or empty when the failure
// is not about one AI. Rule is one of the Rule constants. Linter is the
// syntax dictionary's name of the linter that refused the value ("csum",
// "iso3166"), or empty when no linter did. Message is a sentence for a
// person, naming the AI, the linter and the rule.
type Error struct {
	AI      string
	Rule    string
	Linter  string
	Message string
}

// Error returns the one-line reason, for example
// "gs1: AI (01): check digit is 3, want 2 (rule check-digit)". It never
// fails.
func (e *Error) Error() string { return "gs1: " + e.Message }

// errf builds an *Error whose Message names the AI (if any) and the rule.
func errf(ai, rule, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...) + " (rule " + rule + ")"
	if ai != "" {
		msg = "AI (" + ai + "): " + msg
	}
	return &Error{AI: ai, Rule: rule, Message: msg}
}
