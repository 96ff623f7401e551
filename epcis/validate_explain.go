package epcis

import (
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/message"

	"tracegate"
)

// A JSON Schema validator reports a tree: every failed keyword, and under an
// anyOf or oneOf the failure of every branch. Printed as is, one missing
// identifier list reads as four missing properties, one bad action as an
// enum and three pattern failures, and a missing @context has an empty
// pointer. explain turns the tree into what a person would write: the one
// real problem per field, each with its JSON pointer.

// schemaProblem is one leaf failure of the schema, where it applies.
type schemaProblem struct {
	loc    []string
	rank   int // which of several problems at one location to keep: lower wins
	detail string
}

// Ranks of the problems at one location: a missing property first, then
// the wrong type, then a wrong value, then the finer rules.
const (
	rankRequired = iota
	rankType
	rankValue
	rankFormat
	rankOther
	rankPattern
)

// explain reduces the error tree of ve to one FieldError per instance
// location, in document order, with ptr prefixed to every pointer.
func explain(ve *jsonschema.ValidationError, ptr string, p *message.Printer) []tracegate.FieldError {
	problems := collect(ve, p)
	// One problem per location: the best-ranked, the first of equals.
	best := map[string]int{}
	var order []string
	for i, pr := range problems {
		k := pointer(pr.loc)
		j, seen := best[k]
		if !seen {
			order = append(order, k)
			best[k] = i
		} else if pr.rank < problems[j].rank {
			best[k] = i
		}
	}
	out := make([]tracegate.FieldError, 0, len(order))
	for _, k := range order {
		out = append(out, tracegate.FieldError{Pointer: ptr + k, Detail: problems[best[k]].detail})
	}
	return out
}

// collect walks the tree. A missing property becomes a problem at the
// property's own pointer; of the branches of an anyOf or oneOf only the
// most relevant one is kept (see pickBranch).
func collect(e *jsonschema.ValidationError, p *message.Printer) []schemaProblem {
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		out := make([]schemaProblem, 0, len(k.Missing))
		for _, m := range k.Missing {
			out = append(out, schemaProblem{loc: append(slices.Clip(e.InstanceLocation), m), rank: rankRequired, detail: m + " is required"})
		}
		return out
	case *kind.AnyOf, *kind.OneOf:
		if len(e.Causes) > 0 {
			branches := make([][]schemaProblem, len(e.Causes))
			for i, c := range e.Causes {
				branches[i] = collect(c, p)
			}
			if pr, ok := alternativesRequired(e, branches); ok {
				return []schemaProblem{pr}
			}
			return pickBranch(branches)
		}
	}
	if len(e.Causes) == 0 {
		return []schemaProblem{{loc: e.InstanceLocation, rank: rankOf(e.ErrorKind), detail: e.ErrorKind.LocalizedString(p)}}
	}
	var out []schemaProblem
	for _, c := range e.Causes {
		out = append(out, collect(c, p)...)
	}
	return out
}

// pickBranch chooses the branch of an anyOf/oneOf that says most about what
// is wrong: the one whose problems reach deepest into the instance (the
// value matched the branch's shape and failed further in), then the one
// with the fewest problems, then the first.
func pickBranch(branches [][]schemaProblem) []schemaProblem {
	bi := -1
	for i, b := range branches {
		if len(b) == 0 {
			continue
		}
		if bi < 0 {
			bi = i
			continue
		}
		if d, bd := depth(b), depth(branches[bi]); d > bd || d == bd && len(b) < len(branches[bi]) {
			bi = i
		}
	}
	if bi < 0 {
		return nil
	}
	return branches[bi]
}

func depth(b []schemaProblem) int {
	d := 0
	for _, pr := range b {
		d = max(d, len(pr.loc))
	}
	return d
}

// alternativesRequired recognises an anyOf/oneOf whose every branch fails
// only for missing properties of the object at e (an event needs an epcList,
// or a quantityList, or ...), and says so in one problem at the object.
func alternativesRequired(e *jsonschema.ValidationError, branches [][]schemaProblem) (schemaProblem, bool) {
	if len(branches) < 2 {
		return schemaProblem{}, false
	}
	var alts []string
	for _, b := range branches {
		if len(b) == 0 {
			return schemaProblem{}, false
		}
		var names []string
		for _, pr := range b {
			if pr.rank != rankRequired || len(pr.loc) != len(e.InstanceLocation)+1 || !slices.Equal(pr.loc[:len(e.InstanceLocation)], e.InstanceLocation) {
				return schemaProblem{}, false
			}
			names = append(names, pr.loc[len(pr.loc)-1])
		}
		alt := strings.Join(names, " and ")
		if len(names) > 1 {
			alt = "(" + alt + ")"
		}
		alts = append(alts, alt)
	}
	loc := e.InstanceLocation
	if len(loc) == 0 {
		// The root has no pointer of its own: name the first alternative.
		loc = branches[0][0].loc
	}
	list := strings.Join(alts[:len(alts)-1], ", ") + " or " + alts[len(alts)-1]
	return schemaProblem{loc: loc, rank: rankRequired, detail: "needs one of " + list}, true
}

func rankOf(k jsonschema.ErrorKind) int {
	switch k.(type) {
	case *kind.Required:
		return rankRequired
	case *kind.Type:
		return rankType
	case *kind.Enum, *kind.Const:
		return rankValue
	case *kind.Format:
		return rankFormat
	case *kind.Pattern:
		return rankPattern
	}
	return rankOther
}
