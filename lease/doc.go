// Package lease runs singleton jobs (checkpoint publishing, the customs
// timeout sweep, scheduled credit runs and blacklist editions, analytics) on
// exactly one node of a cluster at a time.
//
// A lease is a row in the database (table leases: name, holder, token,
// expiry). A node takes an expired or absent lease with a new, larger token
// and renews it well before it expires; the times are the database's, so
// the nodes' own clocks do not matter. A node that dies stops renewing and
// another takes the lease over once it has expired (Runner.TTL, 5 s by
// default, plus one retry interval).
//
// Fencing: a node that stalls (a long GC pause, a cut network) may still
// believe it holds a lease another node has taken. Every write a singleton
// makes carries the lease's token in its context (WithFence); the store
// checks, inside the write's own transaction, that the token is still the
// lease's current one and not expired, and locks the lease row for the rest
// of the transaction, so a stale holder's write is refused (ErrStale) and a
// takeover waits for a write in flight to commit. Two holders never write
// at once.
//
// SPEC: https://martin.kleppmann.com/2016/02/08/how-to-do-distributed-locking.html
// (fencing tokens)
package lease
