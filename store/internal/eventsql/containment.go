package eventsql

import (
	"strings"
	"time"

	"tracegate/epcis"
)

// Containment SQL, written with numbered parameters (?1, ?2…); PG turns
// them into $1, $2… Times are bound in the dialect's stored form.
var (
	// ?1 child, ?2 parent, ?3 time, ?4 seq: take child out of other parents.
	containmentMoveOut = `UPDATE epcis_containment SET to_time = ?3, del_seq = ?4
		WHERE child = ?1 AND parent <> ?2 AND to_time IS NULL AND from_time <= ?3`
	// ?1 parent, ?2 child, ?3 time, ?4 seq: put child in parent unless it is.
	containmentAdd = `INSERT INTO epcis_containment (parent, child, from_time, add_seq)
		SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
		(SELECT 1 FROM epcis_containment WHERE parent = ?1 AND child = ?2 AND to_time IS NULL)`
	// ?1 parent, ?2 child, ?3 time, ?4 seq: take child out of parent.
	containmentRemove = `UPDATE epcis_containment SET to_time = ?3, del_seq = ?4
		WHERE parent = ?1 AND child = ?2 AND to_time IS NULL AND from_time <= ?3`
	// ?1 parent, ?3 time, ?4 seq: empty parent (?2 is bound to "" only so
	// that every numbered parameter is used, as PostgreSQL requires).
	containmentRemoveAll = `UPDATE epcis_containment SET to_time = ?3, del_seq = ?4
		WHERE parent = ?1 AND to_time IS NULL AND from_time <= ?3 AND ?2 = ''`
	// ?1 parent, ?2 time, ?3 max depth: what is inside parent at time.
	containmentContents = `WITH RECURSIVE c (parent, child, from_time, to_time, depth, add_seq) AS (
		SELECT parent, child, from_time, to_time, 1, add_seq FROM epcis_containment
		WHERE parent = ?1 AND from_time <= ?2 AND (to_time IS NULL OR to_time > ?2)
		UNION ALL
		SELECT x.parent, x.child, x.from_time, x.to_time, c.depth + 1, x.add_seq FROM epcis_containment x JOIN c ON x.parent = c.child
		WHERE c.depth < ?3 AND x.from_time <= ?2 AND (x.to_time IS NULL OR x.to_time > ?2))
		SELECT parent, child, from_time, to_time, depth, add_seq FROM c ORDER BY depth, parent, child`
	// ?1 child, ?2 time: the chain of parents around child at time.
	containmentContainers = `WITH RECURSIVE c (parent, child, from_time, to_time, depth, add_seq) AS (
		SELECT parent, child, from_time, to_time, 1, add_seq FROM epcis_containment
		WHERE child = ?1 AND from_time <= ?2 AND (to_time IS NULL OR to_time > ?2)
		UNION ALL
		SELECT x.parent, x.child, x.from_time, x.to_time, c.depth + 1, x.add_seq FROM epcis_containment x JOIN c ON x.child = c.parent
		WHERE c.depth < 32 AND x.from_time <= ?2 AND (x.to_time IS NULL OR x.to_time > ?2))
		SELECT parent, child, from_time, to_time, depth, add_seq FROM c ORDER BY depth`
)

// ContainmentSQL holds the containment statements in one dialect.
type ContainmentSQL struct {
	MoveOut, Add, Remove, RemoveAll, Contents, Containers string
}

// Containment returns the containment statements with "?N" (SQLite) or
// "$N" (PostgreSQL) parameters.
func Containment(pg bool) ContainmentSQL {
	conv := func(s string) string {
		if pg {
			return strings.ReplaceAll(s, "?", "$")
		}
		return s
	}
	return ContainmentSQL{MoveOut: conv(containmentMoveOut), Add: conv(containmentAdd), Remove: conv(containmentRemove),
		RemoveAll: conv(containmentRemoveAll), Contents: conv(containmentContents), Containers: conv(containmentContainers)}
}

// MaxDepth bounds deep containment queries (pallets in containers in
// waybills nest a handful of levels; cycles from bad data stop here).
const MaxDepth = 32

// Apply runs the containment statements for a stored
// AggregationEvent r through exec, binding times with toTime.
func (c ContainmentSQL) Apply(r *epcis.Record, toTime func(time.Time) any, exec func(q string, args ...any) error) error {
	parent, children, remove, at, ok := epcis.ContainmentOf(r.Event)
	if !ok {
		return nil
	}
	t := toTime(at)
	if remove {
		if len(children) == 0 {
			return exec(c.RemoveAll, parent, "", t, r.Seq)
		}
		for _, child := range children {
			if err := exec(c.Remove, parent, child, t, r.Seq); err != nil {
				return err
			}
		}
		return nil
	}
	for _, child := range children {
		if err := exec(c.MoveOut, child, parent, t, r.Seq); err != nil {
			return err
		}
		if err := exec(c.Add, parent, child, t, r.Seq); err != nil {
			return err
		}
	}
	return nil
}
