// Package store is the home of tracegate's storage adapters.
//
//   - store/sqlite: the embedded default (modernc.org/sqlite, no cgo).
//   - store/postgres: the production store (pgx), which several stateless
//     nodes can share.
//   - store/storetest: the conformance suite every backend passes.
//   - store/migrate: the numbered, embedded, forward-only migration files.
//
// Each backend implements the store interfaces of the domain packages
// (tracegate.EnterpriseStore, ...) and nothing else.
package store
