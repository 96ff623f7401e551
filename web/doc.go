// Package web is tracegate's HTTP adapter: routes, one handler per file,
// middleware (request IDs, access logs, metrics, authentication, body
// limits), the error → status table that answers RFC 9457 problem+json, and
// the OpenAPI 3.1 document of the API.
//
// Authorization decisions live in authz.go and nowhere else: each route
// declares a policy, and resource-level checks are functions there.
//
// SPEC: https://www.rfc-editor.org/rfc/rfc9457 (problem details)
// SPEC: https://spec.openapis.org/oas/v3.1.0
package web
